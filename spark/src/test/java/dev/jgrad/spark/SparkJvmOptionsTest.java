package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pom's Surefire argLine and {@link SparkJvmOptions#OPTIONS} must not drift apart. */
class SparkJvmOptionsTest {
    @Test
    void surefireJvmHasEverySparkOption() {
        assertEquals(List.of(), SparkJvmOptions.missing());
    }
}
