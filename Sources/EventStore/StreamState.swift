/// A stream as a command finds it once it holds the stream's lock.
public struct StreamState: Sendable, Hashable {
    /// The stream's version (0 when it has no events).
    public let version: Int64
    /// The command, when its id was handled before.
    public let handledCommand: HandledCommand?
}

/// What a command id handled before left behind.
public struct HandledCommand: Sendable, Hashable {
    /// The stream version the command left.
    public let lastVersion: Int64
    /// The fingerprint of the request it came from, when one was recorded.
    public let requestFingerprint: [UInt8]?
}
