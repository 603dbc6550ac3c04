import Copydesk
import Hummingbird

/// The audit export streamed as JSON lines, or as CSV (RFC 4180, with its header row).
struct AuditStream: ResponseGenerator {
    let records: AuditRecords
    let csv: Bool

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let (records, csv) = (records, csv)
        let body = ResponseBody { writer in
            // Rows are gathered into chunks of about 64 KiB: one write per row would be one frame per row.
            var chunk = ByteBuffer()
            if csv { chunk.writeString(AuditRecord.csvHeader + "\r\n") }
            let encoder = JSONFormat.encoder()
            for try await record in records {
                if csv {
                    chunk.writeString(record.csvRecord + "\r\n")
                } else {
                    chunk.writeBytes(try encoder.encode(record))
                    chunk.writeString("\n")
                }
                if chunk.readableBytes >= 65_536 {
                    try await writer.write(chunk)
                    chunk.clear()
                }
            }
            if chunk.readableBytes > 0 { try await writer.write(chunk) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson"], body: body)
    }
}
