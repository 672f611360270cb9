// The log view's scrolling: follow the newest line unless the reader scrolled up.
export function scrollToEnd(element) {
    if (element) {
        element.scrollTop = element.scrollHeight;
    }
}

export function isAtEnd(element) {
    return !element || element.scrollHeight - element.scrollTop - element.clientHeight < 40;
}
