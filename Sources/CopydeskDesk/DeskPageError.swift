import Hummingbird

/// A desk page that cannot be shown, with the status and the words to show instead.
struct DeskPageError: Error {
    let status: HTTPResponse.Status
    let title: String
    let text: String

    static let notFound = DeskPageError(
        status: .notFound, title: "Not found", text: "There is no such page on the desk.")
}
