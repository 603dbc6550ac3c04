import Hummingbird

/// What the desk needs from the server's request context: room for the signed-in user and the
/// form a POST carried. The API's context adopts it, so that the desk's routes live in the same
/// router without the desk knowing anything of the API.
public protocol DeskRequestContext: RequestContext {
    /// The user signed in with the request's session cookie; set by `DeskSessionMiddleware`.
    var deskUser: DeskUser? { get set }
    /// The fields of a POST's form, read and CSRF-checked by `CSRFMiddleware`.
    var deskForm: DeskForm? { get set }
}
