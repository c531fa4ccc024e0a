package io.cozecdc.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** REST Assured with the management API's bearer token. */
public final class Api {

    public static final String TOKEN = "test-api-token-91c2";

    private Api() {
    }

    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    /** A sync-config body. */
    public static String config(String name, String table, String dataset, String fieldsJson) {
        return "{\"name\":\"" + name + "\",\"tableName\":\"" + table + "\",\"datasetId\":\"" + dataset + "\",\"fields\":"
                + fieldsJson + "}";
    }
}
