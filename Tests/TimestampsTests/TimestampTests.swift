import Foundation
import Testing
import Timestamps

@Suite("Timestamp: the one way a time is written")
struct TimestampTests {
    /// 2026-11-25T10:00:50Z.
    static let second: Int64 = 1_795_600_850

    /// The `Date` PostgreSQL's text `…50.814000+00` becomes (seconds plus a fraction, as a binary
    /// double), which is a hair below .814 for most milliseconds.
    static func stored(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(second) + Double(milliseconds * 1000) / 1_000_000)
    }

    @Test("a stored millisecond is written as itself, never the one before (Foundation's formatter wrote .813 for .814)")
    func storedMillisecondsStay() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        var foundationTruncated = 0
        for milliseconds in Int64(0)..<1000 {
            let date = Self.stored(milliseconds)
            let expected = "2026-11-25T10:00:50." + String(String(milliseconds + 1000).dropFirst()) + "Z"
            #expect(Timestamp.string(date) == expected)
            #expect(Timestamp.string(Date(timeIntervalSince1970: Double(Self.second * 1000 + milliseconds) / 1000)) == expected)
            if date.formatted(style) != expected { foundationTruncated += 1 }
        }
        // The reason for this type: the formatter it replaces got most of these wrong.
        #expect(foundationTruncated > 100)
        #expect(Timestamp.string(Self.stored(814)) == "2026-11-25T10:00:50.814Z")
    }

    @Test("below a millisecond, the time is cut, never rounded up; the microsecond PostgreSQL holds decides")
    func truncation() {
        let base = Double(Self.second)
        #expect(Timestamp.string(Date(timeIntervalSince1970: base + 0.813_999)) == "2026-11-25T10:00:50.813Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: base + 0.999_999)) == "2026-11-25T10:00:50.999Z")
        // 0.8139996 s is 813 999.6 µs, stored by PostgreSQL as 814 000 µs.
        #expect(Timestamp.string(Date(timeIntervalSince1970: base + 0.813_999_6)) == "2026-11-25T10:00:50.814Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: -0.000_5)) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }

    @Test("every precision writes the same instant: seconds and milliseconds are prefixes of microseconds")
    func precisions() {
        let date = Date(timeIntervalSince1970: Double(Self.second) + 0.814_123)
        #expect(Timestamp.string(date, .microseconds) == "2026-11-25T10:00:50.814123Z")
        #expect(Timestamp.string(date, .milliseconds) == "2026-11-25T10:00:50.814Z")
        #expect(Timestamp.string(date, .seconds) == "2026-11-25T10:00:50Z")
        var bytes: [UInt8] = Array("x".utf8)
        Timestamp.append(date, .microseconds, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x2026-11-25T10:00:50.814123Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: 253_402_300_799.999), .seconds) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00.000Z")
    }

    @Test("truncatedToMilliseconds is the instant the text shows, as the Date that text parses back to")
    func truncatedDate() {
        var seed: UInt64 = 0x5F9B_F97B_76E6_1B5F
        for _ in 0..<2000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let reading = Date(timeIntervalSince1970: 1_000_000_000 + Double(seed >> 24) / 1_000_000)
            let cut = reading.truncatedToMilliseconds
            let milliseconds = Int64((cut.timeIntervalSince1970 * 1000).rounded())
            #expect(cut == Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            #expect(cut <= reading && reading.timeIntervalSince(cut) < 0.001)
            #expect(Timestamp.string(cut) == Timestamp.string(reading))
            #expect(cut.truncatedToMilliseconds == cut)
        }
    }
}
