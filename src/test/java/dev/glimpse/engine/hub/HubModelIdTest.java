package dev.glimpse.engine.hub;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubModelIdTest {

    @Test
    void readsTheRepositoryAndTheRevision() {
        assertEquals(new HubModelId("zai-org/GLM-4.6V-Flash", "main"), HubModelId.parse("zai-org/GLM-4.6V-Flash"));
        assertEquals(new HubModelId("zai-org/GLM-4.6V-Flash", "v1.0"), HubModelId.parse(" zai-org/GLM-4.6V-Flash@v1.0 "));
        assertEquals(new HubModelId("a/b", "refs/pr/1"), HubModelId.parse("a/b@refs/pr/1"));
        HubModelId pinned = HubModelId.parse("a/b@0123456789abcdef0123456789abcdef01234567");
        assertTrue(pinned.pinnedToCommit());
        assertFalse(HubModelId.parse("a/b").pinnedToCommit());
        assertEquals("models--zai-org--GLM-4.6V-Flash", HubModelId.parse("zai-org/GLM-4.6V-Flash@x").cacheFolderName());
        assertEquals("GLM-4.6V-Flash", HubModelId.parse("zai-org/GLM-4.6V-Flash").name());
        assertEquals("a/b", HubModelId.parse("a/b@main").toString());
        assertEquals("a/b@v2", HubModelId.parse("a/b@v2").toString());
    }

    @Test
    void onlyHubShapedTextLooksLikeAnId() {
        assertTrue(HubModelId.looksLike("zai-org/GLM-4.6V-Flash"));
        assertTrue(HubModelId.looksLike("models/glimpse-tiny"), "a relative directory has the shape too: "
                + "callers check for the directory first");
        for (String s : new String[] {"glimpse-tiny", "/models/x", "./models/x", "a/b/c", "~/m/x", "a/b@", "a--b/c",
                "a/b..c", "-a/b", "a/b.git", "http://host/v1", "C:\\models\\x", "a/b@x y", ""}) {
            assertFalse(HubModelId.looksLike(s), s);
        }
    }

    @Test
    void aMalformedIdSaysHowToWriteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HubModelId.parse("a/b/c"));
        assertEquals("'a/b/c' is not a Hugging Face repository id: it needs exactly one / between the namespace and "
                + "the name. Write it as namespace/name, e.g. zai-org/GLM-4.6V-Flash", e.getMessage());
        IllegalArgumentException revision = assertThrows(IllegalArgumentException.class,
                () -> HubModelId.parse("a/b@"));
        assertEquals("'' is not a revision of a/b: give a branch, tag or commit hash after the @, e.g. a/b@main",
                revision.getMessage());
    }
}
