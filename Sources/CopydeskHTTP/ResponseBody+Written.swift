import Hummingbird

extension ResponseBody {
    /// This body, calling `written` once it has been written out in full, or once writing it
    /// failed (the client went away).
    ///
    /// A handler returns its response before a streamed body (SSE, the audit export) is sent, so
    /// a request ends here, not when `next` returns in a middleware.
    func whenWritten(_ written: @escaping @Sendable () async -> Void) -> ResponseBody {
        let body = self
        return ResponseBody(contentLength: contentLength) { writer in
            do {
                try await body.write(writer)
            } catch {
                await written()
                throw error
            }
            await written()
        }
    }
}
