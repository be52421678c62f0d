package dev.glimpse.extension;

import dev.glimpse.display.ImageFormat;
import dev.glimpse.display.ImageRenderer;

/** An {@link Image} as a thumbnail ({@code image/png}) and a line of text. */
final class ImageView {

    private ImageView() {
    }

    static Bundle bundle(Image image) {
        return new Bundle().put(Bundle.PNG, ImageRenderer.base64(image.thumbnail(), ImageFormat.PNG))
                .put(Bundle.PLAIN, image.toString());
    }
}
