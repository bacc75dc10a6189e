package dev.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link MatMul#pieces}: the claims cover the range exactly once, whole units, with small last pieces. */
class MatMulPiecesTest {
    @Test
    void theClaimsCoverTheRangeOnceInWholeUnits() {
        for (boolean ends : new boolean[] {false, true}) {
            for (int unit : new int[] {1, 6, 8, 32}) {
                for (int extent = 1; extent <= 700; extent += 7) {
                    for (int size : new int[] {unit, 4 * unit, 19 * unit, 64 * unit}) {
                        for (int parts = 1; parts <= 3; parts++) {
                            check(extent, unit, size, parts, ends);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowsRunUpwardsAndTheLastPartsAreQuarters() {
        // 2048 rows in blocks of 128 for two threads: fourteen blocks, then 256 rows in eight of 32
        int[] r = MatMul.pieces(2048, 8, 128, 2, false);
        assertEquals(2 * (14 + 8), r.length);
        for (int c = 0; c < r.length / 2; c++) {
            assertEquals(c < 14 ? 128 * c : 1792 + 32 * (c - 14), r[2 * c], "claim " + c);
            assertEquals(c < 14 ? 128 : 32, r[2 * c + 1] - r[2 * c], "claim " + c);
        }
    }

    @Test
    void columnClaimsAlternateBetweenTheEndsAndMeetInTheMiddle() {
        int[] r = MatMul.pieces(1000, 32, 256, 2, true);
        assertEquals(0, r[0]);
        assertEquals(1000, r[3], "the second claim ends at the range's end: " + Arrays.toString(r));
        int last = r.length / 2 - 1;
        assertTrue(r[2 * last] > 0 && r[2 * last + 1] < 1000, Arrays.toString(r));
        assertTrue(r[2 * last + 1] - r[2 * last] <= 64, Arrays.toString(r));
    }

    private static void check(int extent, int unit, int size, int parts, boolean ends) {
        String what = "extent " + extent + ", unit " + unit + ", size " + size + ", parts " + parts + ", ends " + ends;
        int[] r = MatMul.pieces(extent, unit, size, parts, ends);
        int[] owner = new int[extent];
        Arrays.fill(owner, -1);
        int smallest = Integer.MAX_VALUE, count = r.length / 2;
        for (int c = 0; c < count; c++) {
            int from = r[2 * c], to = r[2 * c + 1];
            assertTrue(from < to, what + ": empty claim " + c + " " + Arrays.toString(r));
            assertTrue(from % unit == 0 && (to % unit == 0 || to == extent), what + ": claim " + c + " splits a unit");
            assertTrue(to - from <= Math.max(unit, size), what + ": claim " + c + " wider than a piece");
            for (int i = from; i < to; i++) {
                assertEquals(-1, owner[i], what + ": index " + i + " claimed twice");
                owner[i] = c;
            }
            smallest = Math.min(smallest, to - from);
        }
        for (int i = 0; i < extent; i++) {
            assertTrue(owner[i] >= 0, what + ": index " + i + " never claimed");
        }
        // the last claims are the quarter pieces: no wider than a quarter of a piece (or one unit)
        int quarter = Math.max(unit, size / unit / 4 * unit);
        for (int c = Math.max(0, count - parts); c < count; c++) {
            assertTrue(r[2 * c + 1] - r[2 * c] <= quarter, what + ": late claim " + c + " " + Arrays.toString(r));
        }
    }
}
