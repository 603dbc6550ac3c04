import Copydesk
import Editorial

/// Who a desk request comes from: the user behind its session, and that session's CSRF token.
public struct DeskUser: Sendable {
    /// The user, with their role as it is now (read with the session).
    public let actor: Actor
    /// The session id from the cookie (never logged; only its hash is stored).
    let sessionId: String
    /// The token every form of this session carries (`DeskSessions.csrfToken(for:)`).
    let csrfToken: String

    init(actor: Actor, sessionId: String) {
        self.actor = actor
        self.sessionId = sessionId
        csrfToken = DeskSessions.csrfToken(for: sessionId)
    }
}
