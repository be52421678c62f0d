package dev.glimpse.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers an answer states: digits ({@code 3}, {@code -2.5}, {@code 1,200}, full-width {@code ３}), English number
 * words from zero to twenty ({@code three}), and Chinese numerals up to 99 ({@code 三}, {@code 两}, {@code 十二},
 * {@code 二十五}).
 */
final class NumbersInText {

    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\p{L}\\d.])-?\\d{1,3}(?:,\\d{3})+(?![\\d])(?:\\.\\d+)?|(?<![\\p{L}\\d.])-?\\d+(?:\\.\\d+)?"
                    + "|(?<![\\p{L}])(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
                    + "|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)(?![\\p{L}])"
                    + "|[零〇一二两三四五六七八九十]+");

    private static final Map<String, Integer> WORDS = Map.ofEntries(Map.entry("zero", 0), Map.entry("one", 1),
            Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5),
            Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9),
            Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13),
            Map.entry("fourteen", 14), Map.entry("fifteen", 15), Map.entry("sixteen", 16),
            Map.entry("seventeen", 17), Map.entry("eighteen", 18), Map.entry("nineteen", 19),
            Map.entry("twenty", 20));

    private static final String CHINESE_DIGITS = "零〇一二三四五六七八九";

    private NumbersInText() {
    }

    /** Every number in {@code folded} ({@link AnswerText#fold folded} text), in order. */
    static List<Double> in(String folded) {
        List<Double> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(folded);
        while (m.find()) {
            String s = m.group();
            char first = s.charAt(0);
            if (first == '-' || Character.isDigit(first)) {
                numbers.add(Double.parseDouble(s.replace(",", "")));
            } else if (WORDS.containsKey(s)) {
                numbers.add((double) WORDS.get(s));
            } else {
                Integer n = chinese(s);
                if (n != null) {
                    numbers.add((double) n);
                }
            }
        }
        return numbers;
    }

    // 三 = 3, 十 = 10, 十二 = 12, 二十 = 20, 二十五 = 25, 两 = 2; anything else (一二三, 零五) is not read
    private static Integer chinese(String s) {
        String t = s.replace('两', '二');
        int ten = t.indexOf('十');
        if (ten < 0) {
            return t.length() == 1 ? digit(t.charAt(0)) : null;
        }
        if (ten != t.lastIndexOf('十') || ten > 1 || t.length() - ten > 2) {
            return null;
        }
        int tens = ten == 0 ? 1 : digit(t.charAt(0));
        int units = ten == t.length() - 1 ? 0 : digit(t.charAt(ten + 1));
        return tens * 10 + units;
    }

    private static int digit(char c) {
        int i = CHINESE_DIGITS.indexOf(c);
        return i <= 1 ? 0 : i - 1;
    }
}
