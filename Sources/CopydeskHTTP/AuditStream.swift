import Copydesk
import Hummingbird

/// The audit export streamed as JSON lines, or as CSV (RFC 4180, with its header row).
struct AuditStream: ResponseGenerator {
    let records: AuditRecords
    let csv: Bool

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let chunks = records.chunks(csv: csv)
        let body = ResponseBody { writer in
            for try await chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson"], body: body)
    }
}
