import Hummingbird

/// 405 Method Not Allowed, naming the methods the path does take in `Allow`, where Hummingbird
/// alone answers 404 as if the path did not exist.
///
/// Added to the router after every route, so it wraps nothing but the router's own "no such
/// route" answer, and it knows every route from the router's list of them. HEAD is answered for
/// every GET route by the router (`autoGenerateHeadEndpoints`), so it is allowed wherever GET is.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route's path pattern with the methods it takes.
    private let routes: [(path: RouterPath, methods: Set<HTTPRequest.Method>)]
    private static var methodOrder: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options] }

    init(routes: [Router<Context>.RouteDescription]) {
        var byPath: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            byPath[route.path.description, default: (route.path, [])].methods.insert(route.method)
            if route.method == .get { byPath[route.path.description]?.methods.insert(.head) }
        }
        self.routes = Array(byPath.values)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/")
            let allowed = routes.filter { route in
                route.path.components.count == segments.count && zip(route.path.components, segments).allSatisfy { $0 ~= $1 }
            }.reduce(into: Set<HTTPRequest.Method>()) { $0.formUnion($1.methods) }
            guard !allowed.isEmpty else { throw error }
            let allow = Self.methodOrder.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            var problem = Problem(
                .methodNotAllowed, type: "http-405", title: "Method not allowed",
                detail: "\(request.method.rawValue) is not allowed on \(request.uri.path); it takes \(allow).")
            problem.headers[.allow] = allow
            throw problem
        }
    }
}
