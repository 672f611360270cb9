// The log view's scrolling. It follows the newest line until the reader scrolls up (wheel, keys,
// scrollbar, touch), and tells .NET when following stops and when the reader is back at the end.
const nearEnd = 24;

export function follow(element, dotnet) {
    let last = element.scrollTop;
    let following = true;
    const atEnd = () => element.scrollHeight - element.scrollTop - element.clientHeight < nearEnd;
    const tell = (now) => {
        following = now;
        dotnet.invokeMethodAsync('FollowingChanged', now).catch(() => { });
    };
    const onScroll = () => {
        const top = element.scrollTop;
        if (following && top < last - 1 && !atEnd()) {
            tell(false);
        } else if (!following && atEnd()) {
            tell(true);
        }
        last = top;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    return {
        scrollToEnd() {
            following = true;
            element.scrollTop = element.scrollHeight;
            last = element.scrollTop;
        },
        dispose() {
            element.removeEventListener('scroll', onScroll);
        },
    };
}
