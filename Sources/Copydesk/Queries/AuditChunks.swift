import Foundation

extension AuditRecords {
    /// The export as text in chunks of about 64 KiB, CSV (RFC 4180, header row first, CRLF line
    /// ends) or JSON lines: what the API and the desk stream, one write per chunk rather than per row.
    public func chunks(csv: Bool) -> AuditChunks {
        AuditChunks(records: self, csv: csv)
    }
}

/// See `AuditRecords.chunks(csv:)`.
public struct AuditChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let records: AuditRecords
    let csv: Bool

    public func makeAsyncIterator() -> Iterator {
        Iterator(records: records.makeAsyncIterator(), csv: csv)
    }

    public struct Iterator: AsyncIteratorProtocol {
        static let chunkSize = 65_536
        var records: AuditRecords.Iterator
        let csv: Bool
        let encoder = JSONFormat.encoder()
        var headerWritten = false
        var finished = false

        init(records: AuditRecords.Iterator, csv: Bool) {
            self.records = records
            self.csv = csv
        }

        public mutating func next() async throws -> [UInt8]? {
            guard !finished else { return nil }
            var chunk: [UInt8] = []
            if csv && !headerWritten {
                chunk += Array((AuditRecord.csvHeader + "\r\n").utf8)
                headerWritten = true
            }
            while chunk.count < Self.chunkSize {
                guard let record = try await records.next() else {
                    finished = true
                    break
                }
                if csv {
                    chunk += Array((record.csvRecord + "\r\n").utf8)
                } else {
                    chunk += try encoder.encode(record)
                    chunk.append(UInt8(ascii: "\n"))
                }
            }
            return chunk.isEmpty ? nil : chunk
        }
    }
}
