import Foundation
import Testing
import Timestamps

@Suite("UUID.timeOrdered: ids that sort by when they were made")
struct TimeOrderedUUIDTests {
    @Test("version 7, RFC variant, the milliseconds since 1970 in the first 48 bits")
    func layout() {
        let date = Date(timeIntervalSince1970: 1_795_600_850.814)
        let id = UUID.timeOrdered(at: date)
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
        let milliseconds = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_795_600_850_814)
        #expect(id.uuidString.lowercased().hasPrefix("01a2")) // 1_795_600_850_814 = 0x01A2_...
    }

    @Test("an id made a millisecond later sorts after, as text and as PostgreSQL compares uuids (bytewise)")
    func ordered() {
        let start = Date(timeIntervalSince1970: 1_795_600_850)
        var previous = UUID.timeOrdered(at: start).uuidString.lowercased()
        for step in 1...2_000 {
            let next = UUID.timeOrdered(at: start.addingTimeInterval(Double(step) / 1000)).uuidString.lowercased()
            #expect(previous < next)
            previous = next
        }
    }

    @Test("ids of the same millisecond differ")
    func unique() {
        let now = Date()
        #expect(Set((0..<10_000).map { _ in UUID.timeOrdered(at: now) }).count == 10_000)
    }
}
