package io.railrush.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.railrush.app.testing.EmbeddedApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The pages in a real browser (Debian's headless Chromium through its chromedriver) against an
 * embedded node: a buyer searches with Chinese station names, logs in, grabs, sees the order go
 * PENDING → CREATED, pays with the simulator and sees PAID and the lottery draw; an error is shown
 * from its problem detail; the page fits a phone; the dashboard shows a demo flash crowd's counters
 * moving. Screenshots go to {@code app/target/browser-screenshots/}.
 */
@Tag("browser")
@EmbeddedApiTest
class PagesBrowserTest {

  private static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  private WebDriver browser;
  private Path profile;

  @BeforeEach
  void openBrowser() throws IOException {
    profile = Files.createTempDirectory("railrush-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1200,1000");
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build();
    browser = new ChromeDriver(driver, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterEach
  void closeBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    org.springframework.util.FileSystemUtils.deleteRecursively(profile);
  }

  @Test
  void aBuyerSearchesGrabsAndPays() throws IOException {
    browser.get(url("/"));
    waitUntil(b -> rows().size() > 1, "the upcoming runs are listed on opening");
    screenshot("buyer-1-opened");

    String date =
        jdbc.sql(
                "select min(departure_date) from train_run where origin = '北京南'"
                    + " and destination = '上海虹桥' and departure_date >= current_date")
            .query(java.time.LocalDate.class)
            .single()
            .toString();
    browser.findElement(By.id("origin")).sendKeys("北京南");
    browser.findElement(By.id("destination")).sendKeys("上海虹桥");
    setValue(browser.findElement(By.id("date")), date);
    browser.findElement(By.cssSelector("#search button[type=submit]")).click();
    waitUntil(
        b ->
            !rows().isEmpty()
                && rows().stream().allMatch(r -> r.getText().contains("北京南 → 上海虹桥"))
                && rows().stream().allMatch(r -> r.getText().contains(date)),
        "only 北京南 → 上海虹桥 on " + date + " is listed");
    WebElement run = rows().getFirst();
    String runId = run.getAttribute("data-run-id");
    int soldBefore = sold(runId);

    run.findElement(By.cssSelector("button.grab")).click();
    waitUntil(b -> problemText().contains("Log in first"), "a grab before logging in is refused");

    String user = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    browser.findElement(By.id("user-id")).sendKeys(user);
    browser.findElement(By.id("login-button")).click();
    waitUntil(b -> browser.findElement(By.id("who")).getText().contains(user), "logged in");

    rows().getFirst().findElement(By.cssSelector("button.grab")).click();
    waitUntil(b -> "CREATED".equals(orderStatus()), "the order moves from PENDING to CREATED");
    screenshot("buyer-2-created");
    String orderNo =
        browser.findElement(By.cssSelector("#order dd")).getText(); // the first field: the number
    assertThat(sold(runId)).isEqualTo(soldBefore + 1);

    browser.findElement(By.id("pay-button")).click();
    waitUntil(b -> "PAID".equals(orderStatus()), "the simulator's payment settles the order");
    waitUntil(
        b -> "1".equals(browser.findElement(By.id("my-draws")).getText()),
        "the paid order grants one lottery draw");
    screenshot("buyer-3-paid");
    assertThat(
            jdbc.sql("select status from ticket_order where order_no = ?")
                .param(orderNo)
                .query(String.class)
                .single())
        .isEqualTo("PAID");

    rows().getFirst().findElement(By.cssSelector("button.grab")).click();
    // within the user's 5 s window the gate answers 429 first, after it ALREADY_HOLDING
    waitUntil(
        b -> problemText().matches("(ALREADY_HOLDING|RATE_LIMITED): \\S.*"),
        "a second grab shows the problem's code and detail");
    assertThat(problemText()).doesNotContain("Exception").doesNotContain("at io.");
    assertThat(sold(runId)).isEqualTo(soldBefore + 1);
    screenshot("buyer-4-problem");
  }

  @Test
  void theBuyerPageFitsAPhone() throws IOException {
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(url("/"));
    waitUntil(b -> rows().size() > 1, "the upcoming runs are listed");
    long scrollWidth =
        (Long)
            ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth");
    long viewport = (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
    assertThat(scrollWidth).as("no sideways scrolling").isLessThanOrEqualTo(viewport);
    WebElement grab = rows().getFirst().findElement(By.cssSelector("button.grab"));
    assertThat(grab.isDisplayed()).isTrue();
    assertThat(grab.getRect().getX() + grab.getRect().getWidth())
        .isLessThanOrEqualTo((int) viewport);
    screenshot("buyer-phone");
  }

  @Test
  void theDashboardShowsAFlashCrowdLive() throws IOException {
    String runId =
        jdbc.sql(
                "select run_id from train_run where departure_date >= current_date"
                    + " and sold = 0 order by seats, run_id limit 1")
            .query(String.class)
            .single();
    int seats =
        jdbc.sql("select seats from train_run where run_id = ?")
            .param(runId)
            .query(Integer.class)
            .single();
    browser.get(url("/ops"));
    waitUntil(
        b -> !browser.findElements(By.cssSelector("#run option[value='" + runId + "']")).isEmpty(),
        "the runs are listed");
    browser.findElement(By.id("admin-token")).sendKeys("not-the-token");
    selectRun(runId);
    browser.findElement(By.cssSelector("#connect button")).click();
    waitUntil(b -> problemText().startsWith("UNAUTHORIZED"), "a wrong token is refused");

    browser.findElement(By.id("admin-token")).clear();
    browser.findElement(By.id("admin-token")).sendKeys("dev-admin-token");
    browser.findElement(By.cssSelector("#connect button")).click();
    waitUntil(b -> updates() >= 2, "snapshots arrive over the stream");
    assertThat(text("seats")).isEqualTo(String.format("%,d", seats));

    browser.findElement(By.id("crowd-users")).clear();
    browser.findElement(By.id("crowd-users")).sendKeys(Integer.toString(seats + 100));
    browser.findElement(By.id("crowd-seconds")).clear();
    browser.findElement(By.id("crowd-seconds")).sendKeys("30");
    browser.findElement(By.cssSelector("#crowd button[type=submit]")).click();
    waitUntil(b -> text("remaining").equals("0"), "the sale sells out on the dashboard");
    // the gate sells out first; the orders are written a moment later
    waitUntil(
        b -> text("sold").equals(String.format("%,d", seats)) && text("pending").equals("0"),
        "every accepted grab is written");
    waitUntil(
        b -> browser.findElement(By.id("crowd-status")).getText().contains("409"),
        "the crowd's answers include the sold-out refusals");
    screenshot("ops-sold-out");
    assertThat(text("sold")).isEqualTo(String.format("%,d", seats));
    assertThat(sold(runId)).isEqualTo(seats);
    assertThat(
            jdbc.sql("select count(*) from ticket_order where run_id = ? and status = 'CREATED'")
                .param(runId)
                .query(Long.class)
                .single())
        .isEqualTo(seats);
  }

  private void selectRun(String runId) {
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("run")))
        .selectByValue(runId);
  }

  private long updates() {
    String updates = browser.findElement(By.id("status")).getAttribute("data-updates");
    return updates == null ? 0 : Long.parseLong(updates);
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private int sold(String runId) {
    return jdbc.sql("select sold from train_run where run_id = ?")
        .param(runId)
        .query(Integer.class)
        .single();
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#runs tbody tr[data-run-id]"));
  }

  private String orderStatus() {
    List<WebElement> order = browser.findElements(By.cssSelector("#order[data-status]"));
    return order.isEmpty() ? null : order.getFirst().getAttribute("data-status");
  }

  private String problemText() {
    WebElement problem = browser.findElement(By.id("problem"));
    return problem.isDisplayed() ? problem.getText() : "";
  }

  private void setValue(WebElement input, String value) {
    ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", input, value);
  }

  private void waitUntil(java.util.function.Function<WebDriver, Boolean> condition, String what) {
    new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(what).until(condition::apply);
  }

  private void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }
}
