import MockHTTP

/// `/api/v1/workspaces` and `/api/v1/workspaces/{id}`: list, create, get, update, delete. `{id}` is a
/// workspace's UUID or its slug. Statuses and bodies as the official SDK requires them
/// (`../shared/specs/LIFECYCLE-NOTES.md`): create answers 201, delete `{"deleted":true}`.
extension OpenRouterEmulation {
    /// `GET /workspaces`: one page of workspaces in creation order, `{"data":[…],"total_count":N}`.
    @Sendable static func listWorkspaces(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let (offset, limit) = try paging(request.query)
        return context.namespace.read { store in
            .json(.ok, store.openRouter.workspaces.page(offset: offset, limit: limit, in: .openRouter))
        }
    }

    /// `POST /workspaces`: 201 `{"data":Workspace}`. The id is `uuid5(seed namespace, "gateway-mock-workspace:<n>")`
    /// for the namespace's next unused n, so the same calls in a fresh namespace give the same ids; the
    /// defaults are those of OpenRouter's documentation and example.
    @Sendable static func createWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let fields = try WorkspaceFields(RequestBody(request))
        guard fields["name"] != nil else { throw .invalidRequest("name is required") }
        guard case .string(let slug)? = fields["slug"] else { throw .invalidRequest("slug is required") }
        let now = WallClockTime.now().iso8601Seconds
        let limit = context.namespace.maxCreatedWorkspaces
        let record = try context.namespace.write { (store) throws(VendorError) -> WorkspaceRecord in
            if store.openRouter.workspaces.containsSlug(slug) {
                throw .invalidRequest("slug \(RequestBody.shown(slug)) is already used by another workspace")
            }
            let reservation = try store.openRouter.creations.reserve(limit: limit, in: store.openRouter.workspaces) {
                UUID5.make(namespace: UUID5.seedNamespace, name: "gateway-mock-workspace:\($0)")
            }
            let id = reservation.id
            let defaults: JSONValue = [
                "id": .string(id), "description": nil, "default_text_model": nil, "default_image_model": nil,
                "default_provider_sort": nil, "is_observability_io_logging_enabled": false,
                "is_observability_broadcast_enabled": false, "is_data_discount_logging_enabled": true,
                "io_logging_sampling_rate": 1, "io_logging_api_key_ids": nil, "created_at": .string(now),
                "updated_at": nil, "created_by": nil,
                "default_guardrail_id": .string(UUID5.make(namespace: id, name: "default-guardrail")),
                "include_byok_in_budgets": false,
            ]
            let record = WorkspaceRecord(value: Self.ordered(fields.applied(to: defaults)))
            store.openRouter.creations.commit(reservation)
            store.openRouter.insertWorkspace(record)
            return record
        }
        return data(record, status: HTTPStatus(201))
    }

    /// `GET /workspaces/{id}`: `{"data":Workspace}`.
    @Sendable static func getWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let key = context.parameters["id"] ?? ""
        return data(try context.namespace.read { (store) throws(VendorError) in try workspace(key, in: store) })
    }

    /// `PATCH /workspaces/{id}`: a partial update (an explicit `null` clears a nullable field, a new slug
    /// moves the workspace to it); `updated_at` becomes now. `{"data":Workspace}`.
    @Sendable static func updateWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let fields = try WorkspaceFields(RequestBody(request))
        let key = context.parameters["id"] ?? ""
        let now = WallClockTime.now().iso8601Seconds
        let record = try context.namespace.write { (store) throws(VendorError) -> WorkspaceRecord in
            let current = try workspace(key, in: store)
            if case .string(let slug)? = fields["slug"], slug != current.slug,
                store.openRouter.workspaces.containsSlug(slug)
            {
                throw .invalidRequest("slug \(RequestBody.shown(slug)) is already used by another workspace")
            }
            let record = WorkspaceRecord(
                value: fields.applied(to: current.value).setting("updated_at", to: .string(now)))
            store.openRouter.replaceWorkspace(record)
            return record
        }
        return data(record)
    }

    /// `DELETE /workspaces/{id}`: `{"deleted":true}`; the workspace's members and budgets go with it. The
    /// default workspace only with `confirm_default_workspace_deletion=true` (the SDK's name) or
    /// `confirm_default_settings_deletion=true` (the Terraform provider's and the Go SDK's), else 403.
    @Sendable static func deleteWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        var confirmed = false
        for name in ["confirm_default_workspace_deletion", "confirm_default_settings_deletion"] {
            confirmed = try request.query.boolean(name) || confirmed
        }
        let key = context.parameters["id"] ?? ""
        try context.namespace.write { (store) throws(VendorError) in
            let current = try workspace(key, in: store)
            if store.openRouter.isDefault(current), !confirmed {
                throw .refused(
                    "The default workspace can only be deleted with confirm_default_workspace_deletion=true "
                        + "(or confirm_default_settings_deletion=true)")
            }
            store.openRouter.removeWorkspace(id: current.id)
        }
        return deleted
    }

    /// The workspace whose id or slug is `key`, else a 404 naming it.
    static func workspace(_ key: String, in store: SeedStore) throws(VendorError) -> WorkspaceRecord {
        try store.openRouter.workspaces.required(key)
    }

    /// `record`'s members in `WorkspaceFields.recordOrder`.
    private static func ordered(_ record: JSONValue) -> JSONValue {
        guard case .object(let members) = record else { return record }
        return .object(
            WorkspaceFields.recordOrder.compactMap { key in members.first { $0.key == key } })
    }
}

extension QueryParameters {
    /// A `true`/`false` parameter; false when absent, 400 for any other value.
    func boolean(_ name: String) throws(VendorError) -> Bool {
        switch try singleValue(of: [name]) {
        case nil, "false": return false
        case "true": return true
        case let other?:
            throw .badRequest(ParameterProblem(parameter: name, value: other, reason: "must be true or false"))
        }
    }
}
