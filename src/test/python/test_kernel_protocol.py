"""The Jupyter protocol suite (jupyter_kernel_test) against the Glimpse kernel, with a sample for every attribute
the suite supports. Started through the installed "glimpse" kernelspec, as JupyterLab starts it."""
import unittest

import jupyter_kernel_test


class GlimpseKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "glimpse"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("something went wrong");'

    completion_samples = [
        {"text": '"abc".subs', "matches": {"substring("}},
        {"text": "Math.fl", "matches": {"floor(", "floorDiv(", "floorMod("}},
        {"text": "%lsma", "matches": {"%lsmagic"}},
    ]

    complete_code_samples = ["1+1", "int x = 5;", 'System.out.println("x");', "class A {}",
                             "for (int i = 0; i < 3; i++) { }"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int y = (1 +", "class B {"]
    invalid_code_samples = ["int x = 7q", "1 +* 2;", "int 9z = 1;"]

    code_page_something = "?String"

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"hi".toUpperCase()', "result": "HI"},
        {"code": "java.util.List.of(1, 2, 3)", "result": "[1, 2, 3]"},
        {"code": "markdown(\"**bold**\")", "mime": "text/markdown", "result": "**bold**"},
    ]

    code_display_data = [
        {"code": 'display(html("<b>bold</b>"));', "mime": "text/html"},
        {"code": "display(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
        {"code": 'display(markdown("# Title"));', "mime": "text/markdown"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6?7"

    code_inspect_sample = "String"

    code_clear_output = "clearOutput();"

    # JupyterLab's contextual help and Shift-Tab send the name with the cursor at its end, without a parenthesis.
    inspect_names = {
        "Math.max": ["int Math.max(int a, int b)", "double Math.max(double a, double b)"],
        "String.valueOf": ["String String.valueOf(Object obj)", "String String.valueOf(char c)"],
        "s.length": ["int String.length()"],
    }

    def test_inspect_a_name_shows_every_overload(self):
        self.execute_helper('String s = "Shift-Tab";')
        for code, signatures in self.inspect_names.items():
            self.flush_channels()
            msg_id = self.kc.inspect(code, len(code))
            reply = self.get_non_kernel_info_reply(timeout=jupyter_kernel_test.TIMEOUT)
            jupyter_kernel_test.validate_message(reply, "inspect_reply", msg_id)
            self.assertTrue(reply["content"]["found"], code)
            for signature in signatures:
                self.assertIn(signature, reply["content"]["data"]["text/plain"])
                self.assertIn(signature, reply["content"]["data"]["text/html"])

    def test_help_on_a_method_opens_the_pager(self):
        for code in ["?Math.max", "Math.max?"]:
            reply, outputs = self.execute_helper(code)
            self.assertEqual(reply["content"]["status"], "ok")
            self.assertEqual([m["msg_type"] for m in outputs], [], "no 'No documentation found' on stderr")
            payloads = reply["content"]["payload"]
            self.assertEqual([p["source"] for p in payloads], ["page"], code)
            self.assertIn("long Math.max(long a, long b)", payloads[0]["data"]["text/plain"])


if __name__ == "__main__":
    unittest.main()
