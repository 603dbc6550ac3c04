import Copydesk
import Hummingbird

/// Reads the form of every POST behind the session and refuses it (403, before any handler runs,
/// so nothing is written) unless its `csrf` field is the session's token. A page on another site
/// can make a browser send a form, but cannot read the token to put in it.
struct CSRFMiddleware<Context: DeskRequestContext>: RouterMiddleware {
    let desk: Desk<Context>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard request.method == .post, let user = context.deskUser else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: desk.configuration.maximumFormBytes)
        let form = DeskForm.parse(Array(body.readableBytesView), contentType: request.headers[.contentType])
        guard let form, let token = form["csrf"], Self.constantTimeEqual(token, user.csrfToken) else {
            return desk.message(
                .forbidden, title: "Form refused",
                text: "This form did not carry this session's security token, so nothing was done. "
                    + "Go back, reload the page and send the form again.",
                user: user, id: "csrf-refused")
        }
        var context = context
        context.deskForm = form
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
