import Copydesk
import CopydeskHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TestSupport

@Suite("Operations endpoints")
struct OperationsTests {
    @Test("healthz and readyz answer without a token; the API itself needs one")
    func openEndpoints() async throws {
        let database = try await TestDatabase.migrated()
        let app = CopydeskApp(pool: database.servicePool())
        let server = buildApplication(
            app: app, configuration: .init(), logger: Logger(label: "test"), runScheduler: false)
        try await server.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
            }
            try await client.execute(uri: "/articles", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
