import ArgumentParser
import GatewayMock

/// `gateway-mock`: serves the mock (the default subcommand) or checks that one is up.
@main
struct GatewayMockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-mock",
        abstract: "A local mock of OpenRouter's and Portkey's workspace admin APIs.",
        version: GatewayMockVersion.current,
        subcommands: [ServeCommand.self, HealthcheckCommand.self],
        defaultSubcommand: ServeCommand.self)
}
