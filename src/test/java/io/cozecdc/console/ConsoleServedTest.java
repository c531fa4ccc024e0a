package io.cozecdc.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The service serves the console's files itself, without a token, and the root leads there. */
@QuarkusTest
class ConsoleServedTest {

    @Test
    void theRootAndConsoleWithoutSlashRedirectToTheConsole() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", endsWith("/console/"));
        given().redirects().follow(false).get("/console").then().statusCode(302).header("Location", endsWith("/console/"));
    }

    @Test
    void theConsolesFilesAreServedWithoutAToken() {
        given().redirects().follow(false).get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"console.js\">"));
        given().get("/console/console.js").then().statusCode(200).body(containsString("sessionStorage"));
        given().get("/console/i18n.js").then().statusCode(200).body(containsString("同步配置"));
        given().get("/console/console.css").then().statusCode(200);
    }
}
