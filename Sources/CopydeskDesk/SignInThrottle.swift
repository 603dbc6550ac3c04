/// Failed sign-ins per client address. The server passes the same throttle its API tokens use,
/// so wrong passwords and wrong tokens from one address count together.
public protocol SignInThrottle: Sendable {
    /// How long `address` must wait before it may try again, or nil when it may try now.
    func retryAfter(_ address: String) -> Duration?
    /// Counts one failed sign-in from `address`.
    func recordFailure(_ address: String)
}
