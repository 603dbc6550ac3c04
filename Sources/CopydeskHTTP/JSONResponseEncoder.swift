import Copydesk
import Foundation
import Hummingbird

/// The request context's response encoder: Copydesk's JSON (`JSONFormat`: keys sorted, times in
/// ISO 8601 UTC with milliseconds) as `application/json`.
///
/// Handlers return values (`ResponseEncodable`, or a `ResponseGenerator` such as
/// `ArticleResponse`) and Hummingbird encodes them with this, as it would with its own
/// `JSONEncoder`, whose content type and date format differ.
public struct JSONResponseEncoder: ResponseEncoder {
    /// The encoder; it has no settings of its own (they are `JSONFormat`'s).
    public init() {}

    /// `value` as Copydesk's JSON, `200 OK`, `application/json`.
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws
        -> Response
    {
        let data = try JSONFormat.encoder().encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
