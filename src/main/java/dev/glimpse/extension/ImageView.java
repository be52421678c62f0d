package dev.glimpse.extension;

/** An {@link Image} as a thumbnail ({@code image/png}) and a line of text. */
final class ImageView {

    private ImageView() {
    }

    static Bundle bundle(Image image) {
        return new Bundle().put(Bundle.PNG, image.thumbnailPng())
                .put(Bundle.PLAIN, image.toString());
    }
}
