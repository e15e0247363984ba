import Foundation
import GatewayMock
import Testing

/// What `GatewayMock.start` does with its configuration beyond handing it to the responder.
@Suite struct StartConfigurationTests {
    @Test func extraKeysFromConfigurationAreManagementKeys() async throws {
        try await withTestServer(.init(extraOpenRouterKeys: ["sk-or-v1-extra"])) { mock throws in
            #expect(try mock.openRouter(key: "sk-or-v1-extra").status == 200)
            #expect(try mock.openRouter().status == 200)
        }
    }
}
