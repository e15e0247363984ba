import MockHTTP

/// `/api/v1/workspaces/{id}/budgets` and `/budgets/{interval}`: a workspace's spending limits, one per
/// interval (`daily`, `weekly`, `monthly`, `lifetime`), strictly decreasing as the interval narrows.
/// `include_byok_in_budgets` is a setting of the workspace (its record's field), shown beside the budgets.
extension OpenRouterEmulation {
    /// `GET /workspaces/{id}/budgets`: `{"data":[Budget],"include_byok_in_budgets":bool}`, narrowest first.
    @Sendable static func listBudgets(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let key = context.parameters["id"] ?? ""
        return try context.namespace.read { (store) throws(VendorError) in
            let workspace = try workspace(key, in: store)
            return .json(
                .ok,
                .list(
                    store.openRouter.budgets(of: workspace.id), prefix: #"{"data":["#,
                    suffix: "]\(byokMember(workspace))}"))
        }
    }

    /// `GET /workspaces/{id}/budgets/{interval}`: `{"data":Budget,…}`; 404 when there is none.
    @Sendable static func getBudget(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let interval = try budgetInterval(context)
        let key = context.parameters["id"] ?? ""
        return try context.namespace.read { (store) throws(VendorError) in
            let workspace = try workspace(key, in: store)
            guard let budget = store.openRouter.budget(of: workspace.id, interval) else {
                throw .resourceNotFound("Budget not found: the workspace has no \(interval.rawValue) budget")
            }
            return data(budget, extra: byokMember(workspace))
        }
    }

    /// `PUT /workspaces/{id}/budgets/{interval}` with `{"limit_usd":>0,"include_byok_in_budgets"?:bool}`:
    /// creates or updates the budget (an update keeps its id and `created_at`); the flag, when given, is
    /// set on the workspace. 400 when the limits would no longer strictly decrease as the interval narrows.
    @Sendable static func setBudget(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let interval = try budgetInterval(context)
        let body = try RequestBody(request)
        guard let limitValue = body["limit_usd"] else { throw .invalidRequest("limit_usd is required") }
        guard case .number(let limit) = limitValue, let amount = Double(limit), amount.isFinite, amount > 0 else {
            throw .invalidRequest("limit_usd must be a number greater than 0, got \(limitValue.encoded.prefix(40))")
        }
        var flag: Bool?
        if let value = body["include_byok_in_budgets"] {
            guard case .bool(let given) = value else {
                throw .invalidRequest("include_byok_in_budgets must be a boolean, got \(value.typeDescription)")
            }
            flag = given
        }
        let key = context.parameters["id"] ?? ""
        let now = WallClockTime.now().iso8601Seconds
        return try context.namespace.write { (store) throws(VendorError) -> HTTPResponse in
            var workspace = try workspace(key, in: store)
            let existing = store.openRouter.budget(of: workspace.id, interval)
            let budget = WorkspaceBudget(
                id: existing?.id ?? WorkspaceBudget.id(workspaceID: workspace.id, interval: interval),
                workspaceID: workspace.id, interval: interval, limit: limit, createdAt: existing?.createdAt ?? now,
                updatedAt: now)
            let others = store.openRouter.budgets(of: workspace.id).filter { $0.interval != interval }
            if let problem = WorkspaceBudget.orderingProblem(others + [budget]) {
                throw .invalidRequest(problem)
            }
            store.openRouter.setBudget(budget)
            if let flag, workspace.includeBYOKInBudgets != flag {
                workspace = WorkspaceRecord(value: workspace.value.setting("include_byok_in_budgets", to: .bool(flag)))
                store.openRouter.replaceWorkspace(workspace)
            }
            return data(budget, extra: byokMember(workspace))
        }
    }

    /// `DELETE /workspaces/{id}/budgets/{interval}`: `{"deleted":true}`, also when there was none
    /// (documented as idempotent).
    @Sendable static func deleteBudget(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let interval = try budgetInterval(context)
        let key = context.parameters["id"] ?? ""
        try context.namespace.write { (store) throws(VendorError) in
            let workspace = try workspace(key, in: store)
            store.openRouter.removeBudget(of: workspace.id, interval)
        }
        return deleted
    }

    private static func budgetInterval(_ context: VendorContext) throws(VendorError) -> BudgetInterval {
        let text = context.parameters["interval"] ?? ""
        guard let interval = BudgetInterval(rawValue: text) else {
            throw .invalidRequest(
                "interval must be one of daily, weekly, monthly, lifetime (got \(RequestBody.shown(text)))")
        }
        return interval
    }

    /// `,"include_byok_in_budgets":<bool>` when the workspace record has the flag, else nothing.
    private static func byokMember(_ workspace: WorkspaceRecord) -> String {
        workspace.includeBYOKInBudgets.map { #","include_byok_in_budgets":\#($0)"# } ?? ""
    }
}
