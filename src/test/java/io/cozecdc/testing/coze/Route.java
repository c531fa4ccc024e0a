package io.cozecdc.testing.coze;

import io.cozecdc.testing.coze.FakeCoze.Endpoint;

/**
 * Which endpoint a request addresses.
 *
 * @param endpoint      the endpoint, {@link Endpoint#OTHER} when none matches
 * @param pathDatasetId the raw {@code {dataset_id}} path segment of a process call, else {@code null}
 */
record Route(Endpoint endpoint, String pathDatasetId) {

    private static final String DOCUMENTS = "/open_api/knowledge/document/";
    private static final String DATASETS = "/v1/datasets/";
    private static final String PROCESS = "/process";

    static Route of(String method, String path) {
        if (!"POST".equals(method)) {
            return new Route(Endpoint.OTHER, null);
        }
        if (path.startsWith(DOCUMENTS)) {
            switch (path.substring(DOCUMENTS.length())) {
                case "create":
                    return new Route(Endpoint.CREATE, null);
                case "delete":
                    return new Route(Endpoint.DELETE, null);
                case "list":
                    return new Route(Endpoint.LIST, null);
                default:
                    return new Route(Endpoint.OTHER, null);
            }
        }
        if (path.startsWith(DATASETS) && path.endsWith(PROCESS)
                && path.length() > DATASETS.length() + PROCESS.length()) {
            String segment = path.substring(DATASETS.length(), path.length() - PROCESS.length());
            if (segment.indexOf('/') < 0) {
                return new Route(Endpoint.PROCESS, segment);
            }
        }
        return new Route(Endpoint.OTHER, null);
    }

    /** Whether the endpoint is one of the {@code /open_api/knowledge/document/*} calls needing Agw-Js-Conv. */
    boolean needsJsConv() {
        return endpoint == Endpoint.CREATE || endpoint == Endpoint.DELETE || endpoint == Endpoint.LIST;
    }
}
