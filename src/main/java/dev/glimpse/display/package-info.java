/** MIME bundles and renderers: images, HTML/Markdown/LaTeX/SVG/JSON wrappers, Tablesaw tables. */
package dev.glimpse.display;
