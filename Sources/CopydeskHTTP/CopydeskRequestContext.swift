import CopydeskDesk
import Editorial
import Hummingbird

/// The per-request context: Hummingbird's core storage plus the authenticated user.
public struct CopydeskRequestContext: RequestContext, DeskRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The user the bearer token belongs to; set by `AuthenticationMiddleware`.
    public var actor: Actor?
    /// The client's `X-Request-Id` when it sent a usable one, else the server's own id; it is
    /// logged with the request, echoed in the response and stored as the events' correlation id.
    public var requestId: String
    /// The peer's IP address on the connection (nil without a socket, as in `app.test(.router)`).
    public var peerAddress: String?
    /// The desk's signed-in user (session cookie), set by the desk's session middleware.
    public var deskUser: DeskUser?
    /// The form of a desk POST, read and CSRF-checked by the desk.
    public var deskForm: DeskForm?

    /// Copydesk's JSON, in which every handler's value is answered.
    public var responseEncoder: JSONResponseEncoder { JSONResponseEncoder() }

    public init(source: Source) {
        coreContext = .init(source: source)
        actor = nil
        requestId = ""
        deskUser = nil
        deskForm = nil
        // Read here, while the channel is at hand; a Unix socket peer has no IP address.
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Hummingbird's id for this request. Read from the logger's metadata without force-unwrapping:
    /// Hummingbird's own `id` traps when a logger handler drops metadata.
    var requestIdentifier: String {
        logger[metadataKey: "hb.request.id"]?.description ?? requestId
    }

    /// The authenticated user; routes behind `AuthenticationMiddleware` always have one.
    func requireActor() throws -> Actor {
        guard let actor else { throw Problem.unauthorized }
        return actor
    }
}
