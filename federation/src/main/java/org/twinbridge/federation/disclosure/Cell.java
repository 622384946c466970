package org.twinbridge.federation.disclosure;

/** One cell of a released table: a count that may leave, or the mark of a suppressed one. */
public sealed interface Cell permits Cell.Released, Cell.Suppressed {

    /** A count at or above the threshold, or zero. */
    record Released(long count) implements Cell {
        public Released {
            if (count < 0) {
                throw new IllegalArgumentException("a count is zero or more");
            }
        }

        @Override
        public String toString() {
            return Long.toString(count);
        }
    }

    /** A count withheld: below the threshold (primary) or withheld to protect one that is (complementary). */
    record Suppressed(Why why) implements Cell {
        @Override
        public String toString() {
            return why == Why.PRIMARY ? "*" : "**";
        }
    }

    /** Why a cell was withheld. */
    enum Why { PRIMARY, COMPLEMENTARY }
}
