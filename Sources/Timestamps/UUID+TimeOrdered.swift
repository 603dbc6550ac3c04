import Foundation

extension UUID {
    /// A UUID version 7 (RFC 9562): the Unix time in milliseconds in its first 48 bits, then 74
    /// random bits. Ids made later sort after earlier ones (to the millisecond).
    ///
    /// For the ids the store indexes as they are written (events, commands, articles): a random
    /// (version 4) id lands on a random page of its index, so once the index outgrows memory
    /// every append reads a page, and after each checkpoint writes a whole page image to the WAL;
    /// time-ordered ids all land on the index's newest pages, however long the history grows.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(date.timeIntervalSince1970 * 1000, 0).rounded())
        // The system generator (getrandom on Linux): `UUID()` opens /dev/urandom for every id,
        // a file open per event that showed in the command path's profile.
        var random = SystemRandomNumberGenerator()
        var bytes = unsafeBitCast((random.next() as UInt64, random.next() as UInt64), to: uuid_t.self)
        bytes.0 = UInt8(truncatingIfNeeded: milliseconds >> 40)
        bytes.1 = UInt8(truncatingIfNeeded: milliseconds >> 32)
        bytes.2 = UInt8(truncatingIfNeeded: milliseconds >> 24)
        bytes.3 = UInt8(truncatingIfNeeded: milliseconds >> 16)
        bytes.4 = UInt8(truncatingIfNeeded: milliseconds >> 8)
        bytes.5 = UInt8(truncatingIfNeeded: milliseconds)
        bytes.6 = 0x70 | (bytes.6 & 0x0F)  // version 7
        bytes.8 = 0x80 | (bytes.8 & 0x3F)  // RFC 4122 variant
        return UUID(uuid: bytes)
    }
}
