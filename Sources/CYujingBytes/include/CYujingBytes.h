// Byte-scanning kernels that Swift cannot express efficiently: 16 bytes at a time with SSE2 (part of
// every x86-64 CPU), with a portable fallback elsewhere. Header-only `static inline` functions, so the
// Swift compiler inlines them into its hot loops.
#ifndef CYUJINGBYTES_H
#define CYUJINGBYTES_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Set bits in the low 16 bits, by table (two loads: cheaper than the bit-twiddling that x86-64 without
/// the POPCNT instruction gets from `__builtin_popcount`).
static inline size_t yj_popcount16(unsigned bits) {
    static const uint8_t table[256] = {
#define YJ_B2(n) n, n + 1, n + 1, n + 2
#define YJ_B4(n) YJ_B2(n), YJ_B2(n + 1), YJ_B2(n + 1), YJ_B2(n + 2)
#define YJ_B6(n) YJ_B4(n), YJ_B4(n + 1), YJ_B4(n + 1), YJ_B4(n + 2)
        YJ_B6(0), YJ_B6(1), YJ_B6(1), YJ_B6(2)
#undef YJ_B2
#undef YJ_B4
#undef YJ_B6
    };
    return (size_t)table[bits & 0xFFu] + (size_t)table[(bits >> 8) & 0xFFu];
}

/// Finds the end of an unquoted CSV field: the index of the first `delimiter`, LF or CR at or after
/// `start`, or `count`. While passing over the bytes it adds to `*characters` the number of ASCII digits
/// and letters and 0xEF bytes (lead byte of full-width digits and letters) before that end, clears
/// `*digits_only` when a byte other than an ASCII digit is among them, and sets `*has_at` when an `@` is.
static inline size_t yj_scan_unquoted(const uint8_t *bytes, size_t start, size_t count, uint8_t delimiter,
                                      size_t *characters, int *digits_only, int *has_at) {
    size_t i = start;
    size_t found = 0;
    unsigned other = 0;
    unsigned at = 0;
#if defined(__SSE2__)
    const __m128i delimiters = _mm_set1_epi8((char)delimiter);
    const __m128i line_feeds = _mm_set1_epi8('\n');
    const __m128i returns = _mm_set1_epi8('\r');
    const __m128i zero_digit = _mm_set1_epi8('0');
    const __m128i nine = _mm_set1_epi8(9);
    const __m128i lower_a = _mm_set1_epi8('a');
    const __m128i twenty_five = _mm_set1_epi8(25);
    const __m128i case_bit = _mm_set1_epi8(0x20);
    const __m128i full_width_lead = _mm_set1_epi8((char)0xEF);
    const __m128i at_sign = _mm_set1_epi8('@');
    while (i + 16 <= count) {
        const __m128i word = _mm_loadu_si128((const __m128i *)(bytes + i));
        const unsigned ends = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(word, delimiters), _mm_cmpeq_epi8(word, line_feeds)),
                         _mm_cmpeq_epi8(word, returns)));
        // x - '0' <= 9 and (x | 0x20) - 'a' <= 25, unsigned: min(v, k) == v.
        const __m128i digit_offset = _mm_sub_epi8(word, zero_digit);
        const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(digit_offset, nine), digit_offset);
        const __m128i letter_offset = _mm_sub_epi8(_mm_or_si128(word, case_bit), lower_a);
        const __m128i is_letter = _mm_cmpeq_epi8(_mm_min_epu8(letter_offset, twenty_five), letter_offset);
        const unsigned wanted = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(is_digit, is_letter), _mm_cmpeq_epi8(word, full_width_lead)));
        const unsigned digit_bits = (unsigned)_mm_movemask_epi8(is_digit);
        const unsigned ats = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(word, at_sign));
        if (ends != 0) {
            const unsigned end = (unsigned)__builtin_ctz(ends);
            const unsigned before = (1u << end) - 1u;
            *characters += found + yj_popcount16(wanted & before);
            if ((other | (~digit_bits & before)) != 0) *digits_only = 0;
            if ((at | (ats & before)) != 0) *has_at = 1;
            return i + end;
        }
        found += yj_popcount16(wanted);
        other |= ~digit_bits & 0xFFFFu;
        at |= ats;
        i += 16;
    }
#endif
    while (i < count) {
        const uint8_t b = bytes[i];
        if (b == delimiter || b == '\n' || b == '\r') break;
        const uint8_t folded = b | 0x20;
        if (b >= '0' && b <= '9') {
            found += 1;
        } else {
            other = 1;
            if ((folded >= 'a' && folded <= 'z') || b == 0xEF) found += 1;
        }
        if (b == '@') at = 1;
        i += 1;
    }
    *characters += found;
    if (other != 0) *digits_only = 0;
    if (at != 0) *has_at = 1;
    return i;
}

#endif
