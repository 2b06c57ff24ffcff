package io.railrush.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;

// errors the application does not answer itself are written by the container's
// ProblemReportValve (problem+json), not by Spring Boot's /error page
@SpringBootApplication(exclude = ErrorMvcAutoConfiguration.class)
@ConfigurationPropertiesScan
public class RailrushApplication {

  public static void main(String[] args) {
    SpringApplication.run(RailrushApplication.class, args);
  }
}
