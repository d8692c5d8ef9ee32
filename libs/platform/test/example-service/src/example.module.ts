import { Module } from '@nestjs/common';
import { GreetingsModule } from './greetings/greetings.module';

/** The service's root module: one import per capability folder. */
@Module({ imports: [GreetingsModule] })
export class ExampleModule {}
