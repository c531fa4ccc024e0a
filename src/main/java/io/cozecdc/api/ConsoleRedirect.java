package io.cozecdc.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends a browser that opens the service's root, or {@code /console} without its slash, to the
 * operators' console (static files under META-INF/resources/console, served by the service itself).
 */
@ApplicationScoped
public class ConsoleRedirect {

    static final String CONSOLE = "/console/";

    void routes(@Observes Router router) {
        // a route for "/console" also matches "/console/" (Vert.x ignores a trailing slash): only the exact paths redirect
        router.get("/").handler(rc -> redirect(rc, "/"));
        router.get("/console").handler(rc -> redirect(rc, "/console"));
    }

    private static void redirect(RoutingContext rc, String exactPath) {
        if (exactPath.equals(rc.request().path())) {
            rc.redirect(CONSOLE);
        } else {
            rc.next();
        }
    }
}
