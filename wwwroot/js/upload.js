// Uploads the file chosen in a file input to a DockerDash endpoint. The browser streams the file from
// disk (no copy in page memory); the server streams it on to the engine. "{name}" in the address
// becomes the file's name.
export async function upload(input, url) {
    const file = input && input.files && input.files[0];
    if (!file) {
        return { status: 0, text: "Choose a file first." };
    }
    try {
        const response = await fetch(url.replace("{name}", encodeURIComponent(file.name)), {
            method: "POST",
            body: file,
            headers: { "Content-Type": "application/x-tar", "X-DockerDash-Upload": "1" },
            credentials: "same-origin",
        });
        return { status: response.status, text: await response.text() };
    } catch (error) {
        return { status: 0, text: `The upload did not reach the server: ${error}` };
    }
}
