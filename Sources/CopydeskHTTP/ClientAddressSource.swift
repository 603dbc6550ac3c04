import Foundation
import HTTPTypes
import Hummingbird

/// Where the client's address comes from, for throttling and logging failed authentications.
///
/// By default it is the connection's peer. Behind a reverse proxy every request would come from
/// the proxy's address, so a server told it sits behind one trusts the last `X-Forwarded-For`
/// entry (the address the proxy itself saw); without that option the header is ignored, since
/// any client could write it.
public struct ClientAddressSource: Sendable {
    /// Trust `X-Forwarded-For` (off unless the server is behind a proxy that sets it).
    public var trustForwardedFor: Bool

    public init(trustForwardedFor: Bool = false) {
        self.trustForwardedFor = trustForwardedFor
    }

    /// The client's address: an IP address, or `unknown` when there is none (no socket).
    func address(of request: Request, context: CopydeskRequestContext) -> String {
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty,
            last.count <= 64, last.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" })
        {
            return last
        }
        return context.peerAddress ?? "unknown"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
