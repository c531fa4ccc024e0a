package io.cozecdc.testing.process;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, built before the tests run) as a real
 * operating-system process, for tests and benchmarks that crash, stop or starve it.
 *
 * <pre>{@code
 * try (DatabaseServer db = DatabaseServer.start("smoke");
 *      FakeCoze coze = FakeCoze.start("coze-token");
 *      ServiceProcess service = ServiceProcess.builder("smoke")
 *              .database(db)
 *              .coze(coze.baseUrl(), "coze-token")
 *              .jvmArgs("-Xmx256m")
 *              .setting("cdc.poll.interval", "100ms")   // any Quarkus/cdc property, as -D
 *              .start()) {                              // returns once /q/health/ready is UP
 *     service.api().body(...).post("/api/v1/sync-configs");   // REST Assured with the API token
 *     Duration took = service.kill();                         // SIGKILL
 *     service.restart();                                      // same settings and port, new log file
 *     ServiceProcess.Exit exit = service.terminate(Duration.ofSeconds(30)); // SIGTERM
 * }
 * }</pre>
 *
 * The process gets {@code DB_*} from the database, {@code COZE_BASE_URL}, {@code COZE_API_TOKEN},
 * {@code CDC_API_TOKEN}, {@code QUARKUS_HTTP_PORT} (a free port on 127.0.0.1) and
 * {@code CDC_SAMPLE_SCHEMA=true}; its output goes to {@code target/process-it/<name>-<n>.log}.
 * Variables of the same names inherited from the caller's environment are dropped, so a developer's
 * shell cannot redirect a test.
 */
public final class ServiceProcess implements AutoCloseable {

    /** How a SIGTERM'd process ended. */
    public record Exit(int code, Duration took, boolean killed) {
    }

    private static final Path LOG_DIR = Path.of("target", "process-it").toAbsolutePath();
    private static final AtomicInteger LAUNCHES = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Builder settings;
    private final int port;
    private Process process;
    private Path logFile;

    private ServiceProcess(Builder settings) {
        this.settings = settings;
        this.port = settings.port > 0 ? settings.port : Ports.free();
    }

    /** @param name names the log files ({@code target/process-it/<name>-<n>.log}) */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The management API token the process was given. */
    public String apiToken() {
        return settings.apiToken;
    }

    /** Operating-system process id of the current launch. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The current launch's output (stdout and stderr). */
    public Path logFile() {
        return logFile;
    }

    /** The current launch's output so far. */
    public String log() {
        return read(logFile);
    }

    /** Everything every launch of this service printed so far, in launch order. */
    public String allLogs() {
        StringBuilder all = new StringBuilder();
        for (Path p : settings.logs) {
            all.append(read(p));
        }
        return all.toString();
    }

    /** REST Assured aimed at the service, with the bearer token and a JSON content type. */
    public RequestSpecification api() {
        return given().baseUri(baseUrl()).header("Authorization", "Bearer " + settings.apiToken).contentType(ContentType.JSON);
    }

    /** REST Assured aimed at the service, no token, no content type. */
    public RequestSpecification anonymous() {
        return given().baseUri(baseUrl());
    }

    /** GETs a path (e.g. {@code /q/health/ready}); returns status and body, or status -1 when nothing answers. */
    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Prometheus text of {@code /q/metrics}. */
    public String metrics() {
        HttpResponse<String> r = get("/q/metrics");
        if (r == null || r.statusCode() != 200) {
            throw new IllegalStateException("no metrics from " + baseUrl());
        }
        return r.body();
    }

    /** Launches the process (again) and waits until it is ready. */
    public synchronized ServiceProcess launch() {
        if (isAlive()) {
            throw new IllegalStateException("already running: pid " + pid());
        }
        logFile = LOG_DIR.resolve(settings.name + "-" + LAUNCHES.incrementAndGet() + ".log");
        settings.logs.add(logFile);
        try {
            Files.createDirectories(LOG_DIR);
            ProcessBuilder pb = new ProcessBuilder(command());
            pb.redirectErrorStream(true);
            pb.redirectOutput(logFile.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("DB_") || k.startsWith("COZE_") || k.startsWith("CDC_") || k.startsWith("QUARKUS_"));
            env.putAll(environment());
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + settings.jar, e);
        }
        if (settings.waitReady) {
            awaitReady(settings.readyTimeout);
        }
        return this;
    }

    /** Same settings, same port, a new log file: a restart after {@link #kill()} or {@link #terminate}. */
    public ServiceProcess restart() {
        return launch();
    }

    /** Polls {@code /q/health/ready} until it answers 200; fails with the log's tail if the process dies or time runs out. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + " before it was ready:\n" + tail(60));
            }
            HttpResponse<String> r = get("/q/health/ready");
            if (r != null && r.statusCode() == 200) {
                return;
            }
            Ports.sleep(200);
        }
        throw new IllegalStateException("the service was not ready within " + timeout + ":\n" + tail(60));
    }

    /** SIGKILL, and waits for the process to be gone; returns how long that took. */
    public synchronized Duration kill() {
        long start = System.nanoTime();
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * SIGTERM (a Kubernetes pod deletion), then waits up to {@code grace}; a process still alive then
     * gets SIGKILL, as the kubelet would, and the exit says {@code killed}.
     */
    public synchronized Exit terminate(Duration grace) {
        long start = System.nanoTime();
        process.destroy();
        boolean exited = waitFor(grace);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!exited) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
        return new Exit(process.exitValue(), took, !exited);
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (isAlive()) {
            kill();
        }
    }

    /** The last {@code lines} lines of the current log. */
    public String tail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> command() {
        if (!Files.isRegularFile(settings.jar)) {
            throw new IllegalStateException(settings.jar + " does not exist: './mvnw verify' builds it before the tests (phase process-test-classes);"
                    + " './mvnw package -DskipTests' builds it alone");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(settings.jvmArgs);
        settings.properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(settings.jar.toString());
        return cmd;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(settings.env);
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putIfAbsent("CDC_SAMPLE_SCHEMA", "true");
        if (settings.apiToken != null) {
            env.put("CDC_API_TOKEN", settings.apiToken);
        }
        return env;
    }

    private static String read(Path p) {
        try {
            return p == null || !Files.exists(p) ? "" : Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // a log with a torn multi-byte character at its end: read it leniently
            try {
                return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    /** Settings of a {@link ServiceProcess} before its first launch. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<Path> logs = new ArrayList<>();
        private String apiToken = "api-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        private Path jar = Path.of(System.getProperty("cdc.it.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        private int port;
        private Duration readyTimeout = Duration.ofSeconds(90);
        private boolean waitReady = true;

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("name must be a plain file name: " + name);
            }
            this.name = name;
        }

        /** DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD of this server. */
        public Builder database(DatabaseServer db) {
            env.putAll(db.env());
            return this;
        }

        /** COZE_BASE_URL and COZE_API_TOKEN (e.g. a FakeCoze's {@code baseUrl()} and token). */
        public Builder coze(String baseUrl, String token) {
            env.put("COZE_BASE_URL", baseUrl);
            env.put("COZE_API_TOKEN", token);
            return this;
        }

        /** CDC_API_TOKEN; default a random one ({@link ServiceProcess#apiToken()}). */
        public Builder apiToken(String token) {
            this.apiToken = token;
            return this;
        }

        /** JVM options such as {@code -Xmx256m}, placed before {@code -jar}. */
        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        /** Any configuration property (a {@code cdc.*} setting, a Quarkus one), passed as {@code -Dkey=value}. */
        public Builder setting(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Short intervals for tests that must see the whole cycle within seconds: polling, config
         * refresh, processing checks, janitor, retries and their backoff, reconciliation grace.
         */
        public Builder quickTimings() {
            return setting("cdc.poll.interval", "100ms")
                    .setting("cdc.configs.refresh-interval", "1s")
                    .setting("cdc.processing.poll-interval", "250ms")
                    .setting("cdc.janitor.interval", "500ms")
                    .setting("cdc.retry.interval", "500ms")
                    .setting("cdc.retry.initial-backoff", "200ms")
                    .setting("cdc.retry.max-backoff", "2s")
                    .setting("cdc.reconcile.grace", "2s");
        }

        /** An environment variable of the process. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** The HTTP port; default a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** The application to run; default {@code target/quarkus-app/quarkus-run.jar} (or system property {@code cdc.it.jar}). */
        public Builder jar(Path value) {
            this.jar = value.toAbsolutePath();
            return this;
        }

        /** How long to wait for readiness at each launch; default 90 s. */
        public Builder readyTimeout(Duration value) {
            this.readyTimeout = value;
            return this;
        }

        /** Whether {@link #start()} and restarts wait for readiness (default true). */
        public Builder waitReady(boolean value) {
            this.waitReady = value;
            return this;
        }

        /** Launches the process and (by default) waits until {@code /q/health/ready} is UP. */
        public ServiceProcess start() {
            ServiceProcess service = new ServiceProcess(this);
            try {
                return service.launch();
            } catch (RuntimeException e) {
                service.close();
                throw e;
            }
        }
    }
}
