import Copydesk
import Hummingbird

/// An article answered as JSON with its version as `ETag` (and, for a new one, its `Location`).
struct ArticleResponse: ResponseGenerator {
    let view: ArticleView
    var status: HTTPResponse.Status = .ok
    var location: String?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(view, from: request, context: context)
        response.status = status
        response.headers[.eTag] = "\"\(view.version)\""
        if let location { response.headers[.location] = location }
        return response
    }
}
