package dev.glimpse.engine;

/** One piece of a {@link Message}: text or an image. */
public sealed interface Part permits Part.Text, Part.Image {

    /** A run of text. */
    record Text(String text) implements Part {
        public Text {
            java.util.Objects.requireNonNull(text, "text");
        }
    }

    /** An image, placed in the message where it appears. */
    record Image(ImageInput image) implements Part {
        public Image {
            java.util.Objects.requireNonNull(image, "image");
        }
    }
}
