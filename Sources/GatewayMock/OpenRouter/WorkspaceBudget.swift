/// A workspace's spending limit for one interval:
/// `{"id","workspace_id","limit_usd","reset_interval","created_at","updated_at"}`.
struct WorkspaceBudget: EncodedRecord {
    let id: String
    let workspaceID: String
    let interval: BudgetInterval
    /// `limit_usd` as a number, to check the ordering of a workspace's limits.
    let limit: Double
    /// `limit_usd` as written (its JSON number text), for messages.
    let limitText: String
    let createdAt: String
    let commaAndJSON: [UInt8]

    /// From a record that passed `RecordSchema.openRouterWorkspaceBudget`, kept exactly as seeded.
    init(value: JSONValue) {
        id = value["id"]?.stringValue ?? ""
        workspaceID = value["workspace_id"]?.stringValue ?? ""
        interval = value["reset_interval"]?.stringValue.flatMap(BudgetInterval.init(rawValue:)) ?? .lifetime
        if case .number(let text)? = value["limit_usd"] {
            limitText = text
            limit = Double(text) ?? 0
        } else {
            limitText = "0"
            limit = 0
        }
        createdAt = value["created_at"]?.stringValue ?? ""
        commaAndJSON = Self.commaAndJSON(of: value)
    }

    /// A budget set through `PUT /workspaces/{id}/budgets/{interval}`.
    init(id: String, workspaceID: String, interval: BudgetInterval, limit: String, createdAt: String, updatedAt: String)
    {
        self.init(value: [
            "id": .string(id), "workspace_id": .string(workspaceID), "limit_usd": .number(limit),
            "reset_interval": interval == .lifetime ? .null : .string(interval.rawValue),
            "created_at": .string(createdAt), "updated_at": .string(updatedAt),
        ])
    }

    /// `uuid5(seed namespace, "openrouter-budget:<workspace id>:<interval>")`, as the seed generator derives it.
    static func id(workspaceID: String, interval: BudgetInterval) -> String {
        UUID5.make(namespace: UUID5.seedNamespace, name: "openrouter-budget:\(workspaceID):\(interval.rawValue)")
    }
}

/// A budget's reset interval, narrowest first. `lifetime` never resets (`reset_interval: null`).
enum BudgetInterval: String, CaseIterable, Comparable, Sendable {
    case daily, weekly, monthly, lifetime

    static func < (lhs: BudgetInterval, rhs: BudgetInterval) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension WorkspaceBudget {
    /// Why a workspace's budgets break OpenRouter's rule that limits strictly decrease as the interval
    /// narrows (lifetime > monthly > weekly > daily), naming both intervals and both amounts; nil when
    /// they keep it. `budgets` are one workspace's, in any order.
    static func orderingProblem(_ budgets: [WorkspaceBudget]) -> String? {
        let ordered = budgets.sorted { $0.interval < $1.interval }
        for (narrower, wider) in zip(ordered, ordered.dropFirst()) where narrower.limit >= wider.limit {
            return "the \(narrower.interval.rawValue) budget's limit_usd (\(narrower.limitText)) must be less than the "
                + "\(wider.interval.rawValue) budget's (\(wider.limitText)): limits must strictly decrease as the "
                + "interval narrows (lifetime > monthly > weekly > daily)"
        }
        return nil
    }
}
