/// The model of `message.mustache`.
struct MessagePage {
    let page: PageChrome
    let heading: String
    let text: String
    let id: String
}
