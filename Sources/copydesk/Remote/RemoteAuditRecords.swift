import AsyncHTTPClient
import Copydesk
import Foundation
import NIOHTTP1

/// `GET /audit` read as it arrives: one JSON line per record, decoded one at a time, so that an
/// export of millions of rows never sits in memory.
struct RemoteAuditRecords: AsyncSequence, Sendable {
    typealias Element = AuditRecord

    let client: RemoteClient
    let query: [(String, String?)]

    func makeAsyncIterator() -> Iterator { Iterator(client: client, query: query) }

    struct Iterator: AsyncIteratorProtocol {
        let client: RemoteClient
        let query: [(String, String?)]
        private var body: HTTPClientResponse.Body.AsyncIterator?
        private var buffer: [UInt8] = []
        private var start = 0

        init(client: RemoteClient, query: [(String, String?)]) {
            self.client = client
            self.query = query
        }

        mutating func next() async throws -> AuditRecord? {
            if body == nil {
                // The export may take long; the server streams it as it reads.
                body = try await client.open(.GET, "/audit", query: query, timeout: .hours(24)).body.makeAsyncIterator()
            }
            while true {
                if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[start..<newline]
                    start = newline + 1
                    if line.isEmpty { continue }
                    return try client.decode(AuditRecord.self, from: Data(line))
                }
                buffer.removeFirst(start)
                start = 0
                guard let chunk = try await body?.next() else {
                    guard !buffer.isEmpty else { return nil }
                    defer { buffer.removeAll() }
                    return try client.decode(AuditRecord.self, from: Data(buffer))
                }
                buffer.append(contentsOf: chunk.readableBytesView)
            }
        }
    }
}
