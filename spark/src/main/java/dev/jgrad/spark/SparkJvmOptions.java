package dev.jgrad.spark;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM options {@code spark-submit} adds on Java 17+ (Spark 4.2.0's
 * {@code org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions()}), which a JVM that embeds
 * Spark (tests, {@code ./jgrad demo spark}, an application started with plain {@code java}) must be
 * started with. The module's pom passes the same list to Surefire (checked by {@code SparkJvmOptionsTest}).
 */
public final class SparkJvmOptions {
    /** The options, in Spark's order. */
    public static final List<String> OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.type=pooled",
            "-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE",
            "--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED");

    private SparkJvmOptions() {
    }

    /** @return the options this JVM was not started with (empty when Spark can run here) */
    public static List<String> missing() {
        List<String> have = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return OPTIONS.stream().filter(o -> !have.contains(o)).toList();
    }
}
