package io.cozecdc.console;

import static io.cozecdc.testing.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.cozecdc.testing.Api;
import io.cozecdc.testing.InjectFakeCoze;
import io.cozecdc.testing.PipelineSupport;
import io.cozecdc.testing.coze.FakeCoze;

/**
 * The operators' console in a real browser: Debian's headless chromium driven through chromedriver,
 * against the service with the embedded database and the fake Coze. Skipped, with the command to
 * install one, when there is no browser. Screenshots of each page go to target/console-screenshots/.
 */
@QuarkusTest
class ConsoleBrowserTest {

    /** Debian's paths; -Dconsole.chromium / -Dconsole.chromedriver point elsewhere. */
    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk";
    static final Path SHOTS = Path.of("target", "console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(20);

    static ChromeDriverService service;
    static WebDriver driver;

    @Inject
    PipelineSupport support;
    @InjectFakeCoze
    FakeCoze coze;
    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!browserPresent()) {
            System.err.println("ConsoleBrowserTest skipped: no " + CHROMIUM + " or " + CHROMEDRIVER + "; install them with: " + INSTALL);
            return;
        }
        Files.createDirectories(SHOTS);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        service.start();
        driver = new ChromeDriver(service, options("en-US"));
        driver.manage().window().setSize(new Dimension(1360, 900));
    }

    static boolean browserPresent() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Headless chromium for a closed network, with a fresh profile in the given language. */
    static ChromeOptions options(String language) throws IOException {
        Path profile = Files.createDirectories(Path.of("target", "console-browser")).resolve(UUID.randomUUID().toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--lang=" + language, "--window-size=1360,900");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        return options;
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @BeforeEach
    void setUp() {
        // each test is reported as skipped, with the command that installs a browser
        Assumptions.assumeTrue(driver != null, "no headless browser (" + CHROMIUM + ", " + CHROMEDRIVER + "): install one with `"
                + INSTALL + "`");
        support.reset();
        // the storage belongs to the console's origin: cleared from the page the last test left there (the first
        // test opens one), then the console starts afresh
        if (!driver.getCurrentUrl().startsWith(url("/"))) {
            open("/console/");
        }
        js("sessionStorage.clear(); localStorage.clear();");
        open("/console/");
    }

    @AfterEach
    void tearDown() {
        support.stop();
    }

    @Test
    void aWrongTokenShowsNothingAndTheRightOneSignsIn() {
        driver.get(url("/"));
        waitFor(d -> d.getCurrentUrl().endsWith("/console/"));
        assertThat(visible("#signin")).isTrue();
        assertThat(visible("#nav")).as("nothing but the sign-in form without a token").isFalse();
        assertThat(driver.findElements(By.cssSelector("#overview, #configs, #failures, #tables"))).isEmpty();
        shot("signin");

        signIn("not-the-token");
        WebElement error = waitVisible("#signin-error");
        assertThat(error.getText()).contains("the token is not valid");
        assertThat(visible("#nav")).isFalse();
        assertThat(driver.findElements(By.cssSelector("#overview"))).isEmpty();
        assertThat((Object) js("return sessionStorage.length")).isEqualTo(0L);

        signIn(Api.TOKEN);
        waitVisible("#overview");
        assertThat(visible("#nav")).isTrue();
        assertThat(driver.getCurrentUrl()).doesNotContain(Api.TOKEN);
        assertThat(driver.getPageSource()).doesNotContain(Api.TOKEN);
        // the token stays for the tab: a reload needs no new sign-in
        driver.navigate().refresh();
        waitVisible("#overview");

        driver.findElement(By.id("signout")).click();
        waitVisible("#signin");
        assertThat((Object) js("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void theOverviewsPendingCountMovesWhenRowsChange() {
        signIn(Api.TOKEN);
        waitText("#pending-total .stat-value", "0");
        // the pipeline is paused: the captured changes stay pending
        support.insertProduct("OV-1", "扳手", "30.00", "20.00", 3);
        support.insertProduct("OV-2", "锤子", "25.00", "15.00", 4);
        support.db().update("UPDATE products SET stock_quantity = 9 WHERE sku = 'OV-1'");
        waitText("#pending-total .stat-value", "3");
        waitText("#pending-tables tr[data-table='products'] .pending", "3");
        assertThat(text("#configs-by-status [data-status='ACTIVE'] .stat-value")).isEqualTo("0");
        shot("overview");

        support.start();
        waitText("#pending-total .stat-value", "0");
        assertThat(driver.findElements(By.cssSelector("#pending-tables tr[data-table='products']"))).isEmpty();
    }

    @Test
    void createAConfigurationWithChosenFieldsAndSeeItsPreview() {
        String dataset = coze.createDataset("console-kb");
        String key = support.insertProduct("PV-1", "螺丝刀", "12.50", "8.00", 7);
        signIn(Api.TOKEN);
        waitVisible("#overview");
        driver.findElement(By.cssSelector("#nav a[data-page='configs']")).click();
        waitVisible("#new-config").click();
        waitVisible("#config-form");

        // a first try without a name: the field error shows next to the field
        type("#f-tableName", "products");
        driver.findElement(By.id("f-tableName")).sendKeys(Keys.TAB);
        type("#f-datasetId", dataset);
        waitVisible("#f-fields input[value='sku']");
        driver.findElement(By.id("save")).click();
        WebElement nameError = waitVisible("[data-field='name'] .field-error");
        assertThat(nameError.getText()).isEqualTo("is required");
        assertThat(driver.findElement(By.id("problem")).getText()).contains("400").contains("Invalid request");

        type("#f-name", "products-console");
        for (String column : List.of("sku", "name", "unit_price")) {
            driver.findElement(By.cssSelector("#f-fields input[value='" + column + "']")).click();
        }
        waitFor(d -> text("#preview-docs").contains("sku: PV-1\nname: 螺丝刀\nunit_price: 12.50"));
        assertThat(text("#preview-docs")).doesNotContain("cost_price").contains(key);
        assertThat(text("#fields-order")).contains("sku, name, unit_price");
        assertThat(visible("[data-field='name'] .field-error")).as("the fixed field's error is gone").isFalse();

        type("#f-template", "{name}（{sku}）售价 {unit_price} 元");
        waitFor(d -> text("#preview-docs").contains("螺丝刀（PV-1）售价 12.50 元"));
        shot("config-editor");

        driver.findElement(By.id("save")).click();
        waitVisible("#configs tr[data-config='products-console']");
        assertThat(text("#configs tr[data-config='products-console']")).contains("products").contains(dataset);
        assertThat(support.db().query("SELECT fields, template, enabled FROM sync_configs WHERE name = 'products-console'"))
                .singleElement().satisfies(r -> {
                    assertThat(String.valueOf(r.get("fields")).replace(" ", "")).isEqualTo("[\"sku\",\"name\",\"unit_price\"]");
                    assertThat(r.get("template")).isEqualTo("{name}（{sku}）售价 {unit_price} 元");
                });
        shot("configs");

        // the delete confirmation says what happens to the documents in Coze; cancel leaves everything
        driver.findElement(By.cssSelector("#configs tr[data-config='products-console'] .act-delete")).click();
        assertThat(waitVisible("#confirm-ok").isDisplayed()).isTrue();
        assertThat(text(".confirm-text")).contains("deleted from Coze dataset " + dataset);
        driver.findElement(By.id("confirm-cancel")).click();
        assertThat(support.db().count("SELECT COUNT(*) FROM sync_configs WHERE name = 'products-console'")).isEqualTo(1);
    }

    @Test
    void replayADeadLetter() {
        String dataset = coze.createDataset("replay-kb");
        // compiles, but cost_price is not a kept field: every row dead-letters (error -2)
        long configId = support.config("replay-me", "products", dataset, List.of("name"), "{name} {cost_price}").id();
        support.start();
        support.insertProduct("DL-1", "卷尺", "9.90", "4.00", 2);
        serviceWait().until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures WHERE status = 'DEAD'") == 1);
        // fixed while disabled: an enabled configuration would re-render every row by itself (and so settle the dead
        // letter) at once; enabling again leaves dead letters to the replay
        api().body("{\"name\":\"replay-me\",\"tableName\":\"products\",\"datasetId\":\"" + dataset + "\",\"fields\":[\"name\",\"cost_price\"],"
                + "\"template\":\"{name} {cost_price}\",\"enabled\":false}").put("/api/v1/sync-configs/" + configId).then().statusCode(200)
                .body("rowsToCheck", org.hamcrest.Matchers.equalTo(0));
        api().post("/api/v1/sync-configs/" + configId + "/enable").then().statusCode(200);

        signIn(Api.TOKEN);
        waitVisible("#overview");
        waitText("#docs-failed .stat-value", "1");
        driver.findElement(By.cssSelector("#nav a[data-page='failures']")).click();
        WebElement row = waitVisible("#failures tr[data-failure]");
        assertThat(row.getText()).contains("replay-me").contains("-2").contains("cost_price");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("filter-status"))).selectByValue("DEAD");
        waitVisible("#failures tr[data-failure]");
        shot("failures");

        driver.findElement(By.cssSelector("#failures tr[data-failure] .act-replay")).click();
        serviceWait().until(() -> coze.documents(dataset).stream().anyMatch(d -> d.content().contains("卷尺 4.00")));
        serviceWait().until(() -> support.db().count("SELECT COUNT(*) FROM sync_failures") == 0);
        driver.findElement(By.id("refresh")).click();
        waitVisible("#no-failures");

        // the figures the overview reads from /q/metrics: lag and throughput once something synced
        driver.findElement(By.cssSelector("#nav a[data-page='overview']")).click();
        waitFor(d -> !text("#lag .stat-value").equals("—") && !text("#lag .stat-value").isEmpty());
        waitFor(d -> text("#throughput .stat-value").endsWith("/s"));
        assertThat(text("#coze-rate")).contains("Allowed 100/s");
        shot("overview-synced");
    }

    @Test
    void tablesShowTheirTriggersAndTheTriggerSql() {
        signIn(Api.TOKEN);
        waitVisible("#overview");
        driver.findElement(By.cssSelector("#nav a[data-page='tables']")).click();
        WebElement row = waitVisible("#tables tr[data-table='products']");
        assertThat(row.getText()).contains("Installed");
        row.findElement(By.cssSelector(".act-sql")).click();
        WebElement sql = waitVisible("pre.sql");
        assertThat(sql.getText()).contains("CREATE TRIGGER `trigger_products_insert`");
        WebElement copy = driver.findElement(By.cssSelector(".act-copy"));
        copy.click();
        waitFor(d -> copy.getText().equals("Copied"));
        shot("tables");
    }

    @Test
    void theLanguageSwitchesAndDefaultsToTheBrowsers() throws Exception {
        // a browser set to Chinese gets Chinese without asking: checked meanwhile in a second browser (slow to start)
        FutureTask<Void> chineseByDefault = new FutureTask<>(this::aChineseBrowserGetsChinese);
        new Thread(chineseByDefault, "console-zh-browser").start();
        try {
            theSwitchTranslatesThePages();
        } catch (Exception | Error e) {
            // the second browser's check ends (and its browser quits) before the failure is reported
            try {
                verdict(chineseByDefault);
            } catch (Exception | Error also) {
                e.addSuppressed(also);
            }
            throw e;
        }
        verdict(chineseByDefault);
    }

    void theSwitchTranslatesThePages() {
        // a little backlog, so the Chinese overview's screenshot shows a table (the pipeline is paused)
        support.insertProduct("ZH-1", "十字螺丝刀", "18.50", "9.80", 240);
        support.insertProduct("ZH-2", "活动扳手", "35.00", "21.00", 96);
        signIn(Api.TOKEN);
        waitVisible("#overview");
        assertThat(text("#nav a[data-page='overview']")).isEqualTo("Overview");
        driver.findElement(By.id("lang")).click();
        waitFor(d -> text("#nav a[data-page='overview']").equals("概览"));
        assertThat(text("#nav a[data-page='configs']")).isEqualTo("同步配置");
        assertThat(text("#main h1")).isEqualTo("概览");
        assertThat((Object) js("return document.documentElement.lang")).isEqualTo("zh-CN");
        waitText("#pending-tables tr[data-table='products'] .pending", "2");
        shot("overview-zh");
        driver.findElement(By.cssSelector("#nav a[data-page='configs']")).click();
        waitVisible("#new-config").click();
        waitVisible("#config-form");
        assertThat(text("[data-field='fields'] > label")).isEqualTo("字段");
        shot("config-editor-zh");
        driver.findElement(By.cssSelector("#nav a[data-page='tables']")).click();
        waitFor(d -> text("#tables").contains("已安装"));
        shot("tables-zh");
        driver.findElement(By.id("lang")).click();
        waitFor(d -> text("#nav a[data-page='tables']").equals("Tables"));
    }

    /** A browser of its own, set to Chinese, shows the sign-in in Chinese without asking. */
    Void aChineseBrowserGetsChinese() throws IOException {
        // its own driver service: quitting a driver stops the service it was started with
        ChromeDriverService second = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver chinese = new ChromeDriver(second, options("zh-CN"));
        try {
            chinese.manage().window().setSize(new Dimension(1360, 900));
            chinese.get(url("/console/"));
            browserWait(chinese).until(d -> d.findElement(By.id("signin-submit")).getText().equals("登录"));
            Files.copy(((TakesScreenshot) chinese).getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve("signin-zh.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            chinese.quit();
            second.stop();
        }
        return null;
    }

    /** Waits (up to 2 minutes) for a check run on another thread; its failure is rethrown as it was. */
    static void verdict(FutureTask<Void> check) throws Exception {
        try {
            check.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- helpers

    String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    void open(String path) {
        driver.get(url(path));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void signIn(String token) {
        WebElement input = waitVisible("#token");
        input.clear();
        input.sendKeys(token);
        driver.findElement(By.id("signin-submit")).click();
    }

    void type(String css, String value) {
        WebElement input = driver.findElement(By.cssSelector(css));
        input.clear();
        input.sendKeys(value);
    }

    boolean visible(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    /** The element's rendered text, read in one step (the overview re-renders every 2 s), or "" when absent. */
    String text(String css) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
    }

    /** A wait on the service's side of up to PipelineSupport.WAIT that looks at once and then every 50 ms. */
    static ConditionFactory serviceWait() {
        return await().atMost(PipelineSupport.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    /** A wait of up to {@link #WAIT} that looks every 50 ms (Selenium's default is every 500 ms). */
    static WebDriverWait browserWait(WebDriver on) {
        WebDriverWait wait = new WebDriverWait(on, WAIT);
        wait.pollingEvery(Duration.ofMillis(50));
        return wait;
    }

    WebElement waitVisible(String css) {
        return browserWait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void waitText(String css, String expected) {
        browserWait(driver).withMessage(() -> css + " should read " + expected + " but reads '" + text(css) + "'")
                .until(d -> text(css).equals(expected));
    }

    void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        browserWait(driver).until(condition::apply);
    }

    /** A screenshot of the whole page (the window grows to the page's height for it, up to 2000 pixels). */
    void shot(String name) {
        Dimension size = driver.manage().window().getSize();
        long height = (Long) js("return document.documentElement.scrollHeight");
        try {
            if (height > 760) {
                driver.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(2000, height + 140)));
            }
            File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(file.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(size);
        }
    }
}
