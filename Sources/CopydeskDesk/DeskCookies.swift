import Copydesk
import Hummingbird

/// The desk's cookies: the session (`copydesk_session`), the reader's time zone (`copydesk_zone`,
/// written by desk.js) and the position of the last commit the browser caused (`copydesk_position`).
enum DeskCookies {
    static let session = "copydesk_session"
    static let zone = "copydesk_zone"
    static let position = "copydesk_position"

    /// The value of cookie `name` in the request's `Cookie` headers, or nil.
    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// `Set-Cookie` for a new session: only for the desk's paths, never readable by scripts, sent on
    /// top-level navigation from other sites (links into the desk work) but not on their POSTs.
    static func sessionCookie(_ id: String, secure: Bool) -> String {
        "\(session)=\(id); Path=/desk; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` that makes the browser forget its session cookie.
    static func expiredSessionCookie(secure: Bool) -> String {
        "\(session)=; Path=/desk; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` for the position of the browser's last commit: read your writes for a few
    /// minutes, far longer than a replica lags.
    static func positionCookie(_ position: WALPosition, secure: Bool) -> String {
        "\(DeskCookies.position)=\(position); Path=/desk; Max-Age=300; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}
