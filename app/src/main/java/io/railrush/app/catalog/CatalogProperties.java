package io.railrush.app.catalog;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sampleData load the sample timetable into an empty catalog at start-up
 * @param knownIdsRefresh how often each node checks for runs created elsewhere (Bloom filter)
 * @param zone the railway's time zone: departure dates are local dates there
 */
@ConfigurationProperties("railrush.catalog")
record CatalogProperties(
    @DefaultValue("false") boolean sampleData,
    @DefaultValue("5s") Duration knownIdsRefresh,
    @DefaultValue("Asia/Shanghai") ZoneId zone) {}
