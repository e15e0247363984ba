extension RecordSchema {
    /// OpenRouter's `Workspace`: the 15 required keys of the published page plus `default_guardrail_id`,
    /// which the vendor's full spec and its official Python SDK (`openrouter` 1.3.x) also require, and the
    /// SDK's two optional keys: `include_byok_in_budgets` (set through the budget endpoints) and
    /// `disabled_server_tools`.
    static let openRouterWorkspace = RecordSchema(fields: [
        Field(key: "id", type: .string),
        Field(key: "name", type: .string),
        Field(key: "slug", type: .string),
        Field(key: "description", type: .string, nullable: true),
        Field(key: "default_text_model", type: .string, nullable: true),
        Field(key: "default_image_model", type: .string, nullable: true),
        Field(key: "default_provider_sort", type: .string, nullable: true),
        Field(key: "is_observability_io_logging_enabled", type: .boolean),
        Field(key: "is_observability_broadcast_enabled", type: .boolean),
        Field(key: "is_data_discount_logging_enabled", type: .boolean),
        Field(key: "io_logging_sampling_rate", type: .number),
        Field(key: "io_logging_api_key_ids", type: .array(of: .integer), nullable: true),
        Field(key: "created_at", type: .string),
        Field(key: "updated_at", type: .string, nullable: true),
        Field(key: "created_by", type: .string, nullable: true),
        Field(key: "default_guardrail_id", type: .string),
        Field(key: "include_byok_in_budgets", type: .boolean, required: false),
        Field(key: "disabled_server_tools", type: .array(of: .string), nullable: true, required: false),
    ])

    /// Portkey's `Workspace` as its schema and example show, plus the mock's `status` (what the
    /// `status` filter reads). Every key is required so that every record answers the same shape.
    static let portkeyWorkspace = RecordSchema(fields: [
        Field(key: "id", type: .string),
        Field(key: "slug", type: .string),
        Field(key: "name", type: .string),
        Field(key: "description", type: .string, nullable: true),
        Field(key: "created_at", type: .string),
        Field(key: "last_updated_at", type: .string),
        Field(
            key: "defaults",
            type: .object([
                Field(key: "metadata", type: .map(of: .string), required: false),
                Field(key: "is_default", type: .integer, required: false),
                Field(key: "object", type: .oneOf(["workspace"]), required: false),
            ]), nullable: true),
        Field(
            key: "usage_limits",
            type: .array(
                of: .object([
                    Field(key: "credit_limit", type: .integer, nullable: true, required: false),
                    Field(key: "type", type: .oneOf(["cost", "tokens"]), required: false),
                    Field(key: "alert_threshold", type: .integer, nullable: true, required: false),
                    Field(key: "periodic_reset", type: .oneOf(["monthly", "weekly"]), nullable: true, required: false),
                    Field(key: "periodic_reset_days", type: .integer, nullable: true, required: false),
                    Field(key: "next_usage_reset_at", type: .string, nullable: true, required: false),
                ]))),
        Field(
            key: "rate_limits",
            type: .array(
                of: .object([
                    Field(key: "type", type: .oneOf(["requests", "tokens"]), required: false),
                    Field(key: "unit", type: .oneOf(["rpd", "rph", "rpm"]), required: false),
                    Field(key: "value", type: .integer, required: false),
                ]))),
        Field(key: "object", type: .oneOf(["workspace"])),
        Field(key: "status", type: .oneOf(PortkeyWorkspaceStatus.allCases.map(\.rawValue))),
    ])
}

/// The lifecycle states a Portkey workspace can be in, as the `status` filter names them.
enum PortkeyWorkspaceStatus: String, CaseIterable, Sendable {
    case active
    case archived
}

extension RecordSchema {
    /// OpenRouter's organization member (`GET /organization/members`), all five keys required.
    static let openRouterOrganizationMember = RecordSchema(fields: [
        Field(key: "id", type: .string),
        Field(key: "email", type: .string),
        Field(key: "first_name", type: .string, nullable: true),
        Field(key: "last_name", type: .string, nullable: true),
        Field(key: "role", type: .oneOf(OrganizationRole.allCases.map(\.rawValue))),
    ])

    /// OpenRouter's `WorkspaceMember`, all five keys required.
    static let openRouterWorkspaceMember = RecordSchema(fields: [
        Field(key: "id", type: .string),
        Field(key: "workspace_id", type: .string),
        Field(key: "user_id", type: .string),
        Field(key: "role", type: .oneOf(OrganizationRole.allCases.map(\.workspaceRole))),
        Field(key: "created_at", type: .string),
    ])

    /// OpenRouter's `WorkspaceBudget`, all six keys required; `reset_interval` null for a lifetime budget.
    static let openRouterWorkspaceBudget = RecordSchema(fields: [
        Field(key: "id", type: .string),
        Field(key: "workspace_id", type: .string),
        Field(key: "limit_usd", type: .number),
        Field(
            key: "reset_interval", type: .oneOf(BudgetInterval.allCases.filter { $0 != .lifetime }.map(\.rawValue)),
            nullable: true),
        Field(key: "created_at", type: .string),
        Field(key: "updated_at", type: .string),
    ])
}

extension RecordSchema {
    /// Portkey's `User` (`GET /admin/users`), every key required.
    static let portkeyUser = RecordSchema(fields: [
        Field(key: "object", type: .oneOf(["user"])),
        Field(key: "id", type: .string),
        Field(key: "first_name", type: .string, nullable: true),
        Field(key: "last_name", type: .string, nullable: true),
        Field(key: "role", type: .oneOf(PortkeyUser.roles)),
        Field(key: "email", type: .string),
        Field(key: "created_at", type: .string),
        Field(key: "last_updated_at", type: .string),
    ])

    /// A Portkey workspace membership in the mock's seed layout (see `PortkeyMembership`).
    static let portkeyMembership = RecordSchema(fields: [
        Field(key: "workspace_id", type: .string),
        Field(key: "user_id", type: .string),
        Field(key: "role", type: .oneOf(PortkeyMembership.roles)),
        Field(key: "created_at", type: .string),
        Field(key: "last_updated_at", type: .string),
    ])
}
