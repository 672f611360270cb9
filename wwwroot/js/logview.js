// The log view's scrolling. It follows the newest line until the reader scrolls up, and tells .NET
// when following stops and when the reader is back at the end.
//
// A reader's intent is taken from the input itself (wheel up, PageUp/ArrowUp/Home, dragging the
// scrollbar or a finger), which arrives before the next render could scroll the view back down: the
// scroll event alone comes a frame later, when a render may already have moved the view again.
const nearEnd = 24;
const upKeys = new Set(['PageUp', 'ArrowUp', 'Home']);

export function follow(element, dotnet) {
    let following = true;
    let dragging = false;
    let last = element.scrollTop;
    const atEnd = () => element.scrollHeight - element.scrollTop - element.clientHeight < nearEnd;
    const tell = (now) => {
        if (following !== now) {
            following = now;
            dotnet.invokeMethodAsync('FollowingChanged', now).catch(() => { });
        }
    };
    const onWheel = (e) => { if (e.deltaY < 0) { tell(false); } };
    const onKey = (e) => { if (upKeys.has(e.key)) { tell(false); } };
    const onDown = () => { dragging = true; };
    const onUp = () => { dragging = false; };
    const onScroll = () => {
        const top = element.scrollTop;
        if (following && dragging && top < last - 1 && !atEnd()) {
            tell(false);
        } else if (!following && atEnd()) {
            tell(true);
        }
        last = top;
    };
    const listeners = [
        [element, 'wheel', onWheel], [element, 'keydown', onKey], [element, 'pointerdown', onDown], [element, 'touchstart', onDown],
        [window, 'pointerup', onUp], [window, 'touchend', onUp], [element, 'scroll', onScroll],
    ];
    for (const [target, name, handler] of listeners) {
        target.addEventListener(name, handler, { passive: true });
    }

    return {
        // Follows the newest line, unless the reader has scrolled up meanwhile (then their place wins);
        // force (the "jump to latest" button) follows again whatever happened.
        scrollToEnd(force) {
            if (!following && !force) {
                return;
            }
            following = true;
            element.scrollTop = element.scrollHeight;
            last = element.scrollTop;
        },
        dispose() {
            for (const [target, name, handler] of listeners) {
                target.removeEventListener(name, handler);
            }
        },
    };
}
