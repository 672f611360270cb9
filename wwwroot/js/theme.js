// Remembers the reader's light/dark choice in a cookie, so that the server renders the next page in it from the first paint.
export function remember(choice) {
    document.cookie = `dockerdash-theme=${choice}; path=/; max-age=31536000; samesite=lax`;
}
