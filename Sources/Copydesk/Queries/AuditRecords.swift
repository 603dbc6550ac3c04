import Foundation
import Postgres

extension ArticleQueries {
    /// Every audit-log row matching `filter`, in global-log order.
    ///
    /// Read `pageSize` rows at a time, each page continuing after the last position read, so
    /// memory stays bounded however many events the store holds and no connection is held
    /// between pages (a slow reader, such as an HTTP client, ties up nothing). Every row
    /// committed before the export starts is in it; rows committed while it runs appear when
    /// they come after the rows already read.
    public func audit(_ filter: AuditFilter, pageSize: Int = 1000) -> AuditRecords {
        AuditRecords(queries: self, filter: filter, pageSize: max(1, pageSize))
    }

    /// Up to `filter.limit` rows after `filter.afterPosition`, read on one pooled connection.
    func auditPage(_ filter: AuditFilter) async throws -> [AuditRecord] {
        try await reads.withConnection { connection in
            try await connection.perform { connection in
                var records: [AuditRecord] = []
                // An unnamed statement, planned with the actual criteria (see `auditQuery`).
                try connection.forEachRow(
                    Self.auditQuery,
                    [filter.actor, filter.articleId, filter.type, filter.since, filter.until, filter.afterPosition,
                     filter.limit, filter.user]
                ) { row in records.append(try Self.auditRecord(row)) }
                return records
            }
        }
    }
}

/// The audit export as an `AsyncSequence`; see `ArticleQueries.audit`.
public struct AuditRecords: AsyncSequence, Sendable {
    public typealias Element = AuditRecord

    let queries: ArticleQueries
    let filter: AuditFilter
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(records: self, after: filter.afterPosition, remaining: filter.limit ?? .max)
    }

    /// Reads the export a page at a time, each page after the last row of the one before.
    public struct Iterator: AsyncIteratorProtocol {
        let records: AuditRecords
        private var page: [AuditRecord] = []
        private var nextInPage = 0
        /// The position of the last row read.
        private var after: Int64?
        /// How many more rows `filter.limit` lets through.
        private var remaining: Int
        /// Set when a page came back short: there is nothing more to read.
        private var readAll = false

        init(records: AuditRecords, after: Int64?, remaining: Int) {
            self.records = records
            self.after = after
            self.remaining = remaining
        }

        public mutating func next() async throws -> AuditRecord? {
            if nextInPage == page.count {
                let size = Swift.min(records.pageSize, remaining)
                guard !readAll, size > 0 else { return nil }
                var filter = records.filter
                filter.afterPosition = after
                filter.limit = size
                page = try await records.queries.auditPage(filter)
                nextInPage = 0
                readAll = page.count < size
                remaining -= page.count
                guard let last = page.last else { return nil }
                after = last.position
            }
            let record = page[nextInPage]
            nextInPage += 1
            return record
        }
    }
}
