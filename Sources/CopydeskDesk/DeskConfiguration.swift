import Editorial
import Hummingbird

/// How the desk is served: cookies, throttling, the read policy and the live feed.
public struct DeskConfiguration<Context: DeskRequestContext>: Sendable {
    /// Mark the session cookie `Secure` (the server sits behind TLS).
    public var secureCookies: Bool
    /// Failed sign-ins per address, shared with the API's failed tokens.
    public var throttle: any SignInThrottle
    /// The client's address, as the API reads it (peer, or X-Forwarded-For behind a trusted proxy).
    public var clientAddress: @Sendable (Request, Context) -> String
    /// The least role the API's read policy asks for an API path (`/audit`), or nil for any user;
    /// a desk page that shows what an API route serves asks the same.
    public var minimumRole: @Sendable (String) -> Role?
    /// How often the live feed polls when no NOTIFY arrives.
    public var feedPollInterval: Duration
    /// Largest form accepted (an import's files included), in bytes.
    public var maximumFormBytes: Int

    /// A configuration; the server fills it from its own (`HTTPServerConfiguration`).
    public init(
        secureCookies: Bool = false, throttle: any SignInThrottle,
        clientAddress: @escaping @Sendable (Request, Context) -> String,
        minimumRole: @escaping @Sendable (String) -> Role?, feedPollInterval: Duration = .seconds(1),
        maximumFormBytes: Int = 8 * 1024 * 1024
    ) {
        self.secureCookies = secureCookies
        self.throttle = throttle
        self.clientAddress = clientAddress
        self.minimumRole = minimumRole
        self.feedPollInterval = feedPollInterval
        self.maximumFormBytes = maximumFormBytes
    }
}
